#pragma once
// What a reboot on a crash state says about the invariants: the one place that turns the way a
// rebooted guest ended into R1, R2, R9 or R14. The campaign's reboot phase and `ferros repro` both
// ask it.

#include <cstdint>
#include <ferros/check/invariant.h>
#include <ferros/qemu/boot.h>
#include <optional>

namespace ferros::campaign {

// Nothing when the guest reached ready within `boot_budget` instructions from kernel-entry;
// otherwise the invariant it broke: R2 when its own self-check failed, R14 when the
// continuation after recovery failed (ferros.until=live), R1 when recovery did not reach ready
// for any other reason, R9 when ready came too late.
std::optional<check::Violation> reboot_verdict(const qemu::BootResult& result, uint64_t boot_budget);

} // namespace ferros::campaign
