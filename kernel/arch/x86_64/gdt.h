#pragma once
// The global descriptor table: flat 64-bit code and data segments for the kernel and for user
// mode, and a TSS. The TSS gives every entry from user mode the running process's kernel stack
// (RSP0) and #DF its own IST stack, so a fault caused by a broken stack pointer still gets a
// working stack to report from.

#include <stdint.h>

namespace ferros::kernel::x86_64 {

// Selectors; boot.S uses the same ones for its provisional GDT.
constexpr uint16_t kKernelCodeSelector = 0x08;
constexpr uint16_t kKernelDataSelector = 0x10;
// SYSRET takes user SS = STAR[63:48] + 8 and CS = STAR[63:48] + 16, so user data must come
// right before user code; both carry RPL 3.
constexpr uint16_t kSysretBaseSelector = 0x10;
constexpr uint16_t kUserDataSelector = 0x18 | 3;
constexpr uint16_t kUserCodeSelector = 0x20 | 3;
constexpr uint16_t kTssSelector = 0x28;

// IST slot numbers (1-based, as the IDT gate encodes them).
constexpr uint8_t kDoubleFaultIst = 1;

void init_gdt();

// The stack the CPU switches to on an interrupt or exception from user mode (TSS RSP0).
void set_kernel_stack(uint64_t top);

// The IST stack's bounds, for the backtrace's sanity checks.
uint64_t double_fault_stack_bottom();
uint64_t double_fault_stack_top();

} // namespace ferros::kernel::x86_64
