// kernel/arch/platform.h for x86_64.

#include "arch/platform.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/io.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/user_mode.h"

extern "C" char __kernel_start[];
extern "C" char __kernel_end[];

namespace ferros::kernel::arch {

uint64_t timestamp() { return x86_64::rdtsc(); }

void console_put(char c) { x86_64::serial::put(c); }

void init_cpu()
{
    x86_64::init_gdt();
    x86_64::init_idt();
    init_user_mode();
}

void init_interrupts()
{
    x86_64::pic::disable();
    x86_64::lapic::init();
    // Wait for the first tick with interrupts enabled only across the HLT (see cpu.h), so a
    // tick that arrives before the HLT still wakes it.
    x86_64::disable_interrupts();
    while (x86_64::lapic::ticks() == 0) {
        x86_64::enable_interrupts_and_halt();
        x86_64::disable_interrupts();
    }
    x86_64::enable_interrupts();
}

uint64_t timer_ticks() { return x86_64::lapic::ticks(); }

void exit_machine(abi::ExitValue value)
{
    x86_64::outb(abi::kDebugExitPort, static_cast<uint8_t>(value));
    // Without isa-debug-exit the write does nothing: stop here rather than run on.
    x86_64::disable_interrupts();
    for (;;)
        x86_64::halt();
}

PhysicalRange kernel_image()
{
    auto start = reinterpret_cast<uint64_t>(__kernel_start);
    return PhysicalRange(PhysicalAddress(start), reinterpret_cast<uint64_t>(__kernel_end) - start);
}

// boot.S maps 4 GiB.
uint64_t identity_mapped_end() { return 4ull << 30; }

} // namespace ferros::kernel::arch
