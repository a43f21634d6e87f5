#pragma once
// The architecture-neutral init sequence. The architecture's entry code (for x86_64,
// arch/x86_64/entry.cpp) calls kernel_main once, with the serial console already usable.

#include <stdint.h>

namespace ferros::kernel {

struct BootTimestamps {
    uint64_t firmware_handoff; // first instruction of the kernel, still in the firmware's CPU mode
    uint64_t kernel_entry; // first C++ code, in the kernel's own CPU mode
};

// `boot_handle` is the boot protocol's hand-off as the entry code received it; only
// arch::read_boot_info interprets it.
[[noreturn]] void kernel_main(const BootTimestamps& timestamps, uintptr_t boot_handle);

} // namespace ferros::kernel
