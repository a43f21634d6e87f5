#pragma once
// The host build of the kernel's recovery (kernel/recovery.h): what the rebooted kernel will
// conclude about a crash state, computed without QEMU.

#include <cstdint>
#include <ferros/campaign/phases.h>
#include <ferros/storage/seeded_bug.h>
#include <vector>

namespace ferros::campaign {

// True when mount-or-format and the self-check both succeed on `image`, as they must for the
// kernel to reach ready, and for RebootEnd::Live when the continuation after them passes too
// (kernel::check_live, the code the store server runs for StoreLive).
bool host_recovery_passes(const std::vector<uint8_t>& image, storage::SeededBug bug, RebootEnd end);

} // namespace ferros::campaign
