#pragma once
// What the boot protocol told the kernel, in architecture-neutral terms. The x86_64 PVH code
// fills it (arch/x86_64/pvh_boot_info.cpp) after validating the firmware's start info; the rest
// of the kernel never sees the protocol's structures.

#include "lib/physical_range.h"
#include "lib/string_view.h"
#include "memory_map.h"

namespace ferros::kernel {

struct BootInfo {
    StringView command_line;
    MemoryMap memory_map;
    // The first boot module (QEMU's -initrd): the workload. Absent when module_count == 0.
    uint32_t module_count { 0 };
    PhysicalRange module;
};

} // namespace ferros::kernel
