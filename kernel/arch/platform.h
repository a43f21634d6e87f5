#pragma once
// The seam between the architecture-neutral kernel and one architecture (SerenityOS
// Kernel/Arch/Processor.h). kernel/arch/x86_64/ implements every function declared here;
// nothing outside kernel/arch/ includes an x86 header.

#include "boot_info.h"
#include "command_line.h"
#include <ferros/abi/machine.h>
#include <ferros/base/error_or.h>
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

} // namespace ferros::kernel::arch
