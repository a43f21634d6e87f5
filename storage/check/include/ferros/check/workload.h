#pragma once
// Workloads for crash exploration: a program of commits, syncs and clean remounts, and a
// seeded generator of random ones (the project's one PRNG).

#include <ferros/base/error_or.h>
#include <ferros/check/history.h>
#include <ferros/ring/ssd.h>
#include <ferros/storage/options.h>
#include <vector>

namespace ferros::check {

struct Step {
    enum class Kind : uint8_t { Commit, Sync, Remount };
    Kind kind { Kind::Commit };
    Transaction transaction; // Commit only
};

using Workload = std::vector<Step>;

struct RandomWorkloadOptions {
    uint64_t seed { 1 };
    size_t steps { 100 };
    size_t key_space { 16 }; // keys are "k0" .. "k<key_space-1>"
    size_t max_value { 100 }; // value lengths are uniform in [0, max_value]
    size_t max_ops { 3 }; // operations per transaction, uniform in [1, max_ops]
    uint32_t delete_percent { 20 };
    uint32_t sync_percent { 25 }; // chance of a sync after each commit
    uint32_t remount_percent { 0 }; // chance of a clean remount after each commit
    // Keys "c0".."c<cold_keys-1>" are put once, first, and never touched again: as the ring
    // turns they must be carried forward from the tail (R6 across relocation).
    size_t cold_keys { 0 };
    size_t cold_value { 100 };
};

// The same options give the same workload on every machine.
Workload random_workload(const RandomWorkloadOptions& options);

// Formats nothing: mounts a store on `ssd` (already formatted), runs the workload and records
// what it submits and what sync acknowledges into `history`. Commits refused with NoSpace or
// TooBig are withdrawn from the history. Stops at the first device error (a power cut) and
// returns it; returns success when the workload completes.
ErrorOr<void> run_workload(
    const Workload& workload, ring::Ssd& ssd, const storage::StoreOptions& options, History& history);

} // namespace ferros::check
