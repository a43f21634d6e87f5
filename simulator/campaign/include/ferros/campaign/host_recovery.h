#pragma once
// The host build of the kernel's recovery (kernel/recovery.h): what the rebooted kernel will
// conclude about a crash state, computed without QEMU.

#include <cstdint>
#include <ferros/storage/seeded_bug.h>
#include <vector>

namespace ferros::campaign {

// True when mount-or-format and the self-check both succeed on `image`, as they must for the
// kernel to reach ready.
bool host_recovery_passes(const std::vector<uint8_t>& image, storage::SeededBug bug);

} // namespace ferros::campaign
