#pragma once
// The seam between the architecture-neutral kernel and one architecture (SerenityOS
// Kernel/Arch/Processor.h). kernel/arch/x86_64/ implements every function declared here;
// nothing outside kernel/arch/ includes an x86 header.

#include "boot_info.h"
#include "command_line.h"
#include <ferros/abi/machine.h>
#include <ferros/base/error_or.h>
#include <stddef.h>
#include <stdint.h>

namespace ferros::kernel::arch {

// Virtual nanoseconds since power-on (deterministic under -icount).
uint64_t timestamp();

// Writes one byte to the serial console.
void console_put(char c);

// Loads descriptor tables so that from now on every CPU exception is reported, not a reset.
void init_cpu();

// Validates the boot protocol's hand-off and translates it; `handle` is what the entry code
// received from the firmware.
ErrorOr<BootInfo> read_boot_info(uintptr_t handle);

// Starts the timer and returns after its first interrupt has really been taken.
void init_interrupts();
uint64_t timer_ticks();

// Executes an instruction that raises `fault`, for tests of the fault path.
[[noreturn]] void trigger_fault(InjectedFault fault);

// Prints a frame-pointer backtrace of the caller.
void print_backtrace_here();

// Tells QEMU to exit with qemu_exit_status(value); stops the CPU if the device is missing.
[[noreturn]] void exit_machine(abi::ExitValue value);

// The kernel image's extent (code, data, stacks, page tables), from the linker script.
PhysicalRange kernel_image();

// Physical memory below this address is identity-mapped; the kernel touches nothing above it.
uint64_t identity_mapped_end();

// User mode (arch/x86_64/user_mode.cpp). The kernel runs with interrupts off from the first
// process on; a process runs with them on, so the timer can preempt it.

// What the CPU features that harden the user/kernel boundary are, once init_cpu() has turned on
// those the CPU model offers.
struct Protection {
    bool no_execute { false };
    bool smep { false };
    bool smap { false };
};
Protection protection();

// Where a new process starts: its first instruction, stack pointer and the four arguments its
// entry function receives.
struct UserStart {
    uint64_t entry { 0 };
    uint64_t stack { 0 };
    uint64_t arguments[4] {};
    // Start with the trap flag: a #DB after every user instruction (fault injection).
    bool single_step { false };
};
// Builds, at the top of a fresh kernel stack, the frames that make the first switch_context()
// to it return into user mode at `start`. Returns the stack pointer to switch to.
uint64_t prepare_user_start(uint64_t kernel_stack_top, const UserStart& start);

// Suspends the current context (saving its stack pointer in *save_rsp) and resumes the one
// suspended at next_rsp.
void switch_context(uint64_t* save_rsp, uint64_t next_rsp);

// Makes `root` the active address space and kernel_stack_top the stack of the next entry from
// user mode. The kernel half is the same in every space.
void enter_address_space(uint64_t root, uint64_t kernel_stack_top);
// Back to the boot page tables (before a process's own tables are freed).
void enter_kernel_address_space();

// Copies from or to user memory; false if the copy faulted (the range must have been checked
// with AddressSpace::allows first; a fault is the second line of defence).
bool copy_from_user(void* destination, uint64_t source, size_t count);
bool copy_to_user(uint64_t destination, const void* source, size_t count);

// The scheduler turns interrupts off before the first process runs; from then on the kernel
// runs with them off, and user mode with them on.
void disable_interrupts();

} // namespace ferros::kernel::arch
