// The first C++ code, called by boot.S in long mode on the boot stack.

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"
#include "main.h"

extern "C" [[noreturn]] void x86_64_kernel_entry(uint32_t start_info_paddr, uint64_t handoff_tsc)
{
    using namespace ferros::kernel;
    // Taken before anything else, so that kernel-entry's time is the entry's, not the UART's.
    BootTimestamps timestamps { handoff_tsc, x86_64::rdtsc() };
    x86_64::serial::init();
    kernel_main(timestamps, start_info_paddr);
}
