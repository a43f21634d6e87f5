#pragma once
// The global descriptor table: flat 64-bit code and data segments, and a TSS whose only job is
// the interrupt stack table. #DF runs on its own IST stack, so a fault caused by a broken stack
// pointer still gets a working stack to report from.

#include <stdint.h>

namespace ferros::kernel::x86_64 {

// Selectors; boot.S uses the same ones for its provisional GDT.
constexpr uint16_t kKernelCodeSelector = 0x08;
constexpr uint16_t kKernelDataSelector = 0x10;
constexpr uint16_t kTssSelector = 0x18;

// IST slot numbers (1-based, as the IDT gate encodes them).
constexpr uint8_t kDoubleFaultIst = 1;

void init_gdt();

// The IST stack's bounds, for the backtrace's sanity checks.
uint64_t double_fault_stack_bottom();
uint64_t double_fault_stack_top();

} // namespace ferros::kernel::x86_64
