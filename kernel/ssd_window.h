#pragma once
// The SSD window: guest-physical RAM that the machine contract treats as the device
// (DESIGN.md section 3). The command line names it; this file decides whether the name is usable.

#include "command_line.h"
#include "lib/physical_range.h"
#include "memory_map.h"
#include <ferros/base/error_or.h>

namespace ferros::kernel {

// Checks `request` against the machine contract and the memory map, then reserves it.
// Errors (the map is unchanged on error):
//   InvalidArgument  BASE or SIZE not 4 KiB-aligned, SIZE zero, or the window wraps
//   OutOfRange       below abi::kSsdMinBase, beyond the identity map, or not inside one RAM region
//   Busy             overlaps the kernel image, the machine pages or the workload module
ErrorOr<PhysicalRange> reserve_ssd_window(const SsdRequest& request, MemoryMap& memory_map);

} // namespace ferros::kernel
