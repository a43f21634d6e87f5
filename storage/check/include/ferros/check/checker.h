#pragma once
// The host checker of the ring-state invariants: given a crash state (a device image) and the
// history of what was submitted and acknowledged, it mounts the image with the store, walks
// every record and index node independently of the store's own checks, reads everything
// back and compares it with the oracle. Used by the crash tests and by the campaign's
// host-native checker for states reconstructed from QEMU traces.

#include <ferros/check/history.h>
#include <ferros/check/invariant.h>
#include <ferros/storage/options.h>
#include <span>
#include <vector>

namespace ferros::check {

struct CheckOptions {
    // The store as the rebooted system runs it (including a seeded bug under test).
    storage::StoreOptions store;
    // Walk every record between tail and head and every index node (R2).
    bool check_structure { true };
};

// Violations of R1-R6 (R1 and R2 on the image, R3-R6 against `history`); empty when the state
// is one the store promises. Never crashes on any image: bad images give violations.
std::vector<Violation> check_state(
    std::span<const uint8_t> image, const History& history, const CheckOptions& options = {});

} // namespace ferros::check
