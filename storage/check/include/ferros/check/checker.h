#pragma once
// The host checker of the ring-state invariants: given a crash state (a device image) and the
// history of what was submitted and acknowledged, it mounts the image with the store, walks
// every record and index node independently of the store's own checks, reads everything
// back and compares it with the oracle. Used by the crash tests and by the campaign's
// host-native checker for states reconstructed from QEMU traces.

#include <ferros/check/history.h>
#include <ferros/check/invariant.h>
#include <ferros/check/state_view.h>
#include <ferros/storage/options.h>
#include <span>
#include <vector>

namespace ferros::check {

struct CheckOptions {
    // The store as the rebooted system runs it (including a seeded bug under test).
    storage::StoreOptions store;
    // Walk every record between tail and head and every index node (R2).
    bool check_structure { true };
    // Verify every state from scratch (`ferros campaign --full-check`), even when its durable
    // image's hash is known. By default what was verified on a durable image is reused for
    // the states over it that leave the bytes it read unchanged: the same verdicts, at a cost
    // that follows what a state changes rather than the device (docs/campaign.md).
    bool full_check { false };
    // R14: after recovery, run the continuation (storage/live.h) on a private copy of the state
    // and check the store still works. Only on states that pass R1-R6: a store already found
    // broken is not asked to go on.
    bool live { true };
};

// Violations of R1-R6 (R1 and R2 on the image, R3-R6 against `history`) and R14 (the store keeps
// working after recovery: options.live); empty when the state
// is one the store promises. Never crashes on any image: bad images give violations.
std::vector<Violation> check_state(
    std::span<const uint8_t> image, const History& history, const CheckOptions& options = {});
// The same for a state given as the durable image and its changes (no copy of the device).
std::vector<Violation> check_state(const StateView& state, const History& history, const CheckOptions& options = {});

} // namespace ferros::check
