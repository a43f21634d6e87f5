#pragma once
// Crash exploration on the host (littlefs's power-loss runner, exhaustive mode): run a
// workload on the emulated SSD, cut power before every device operation (write or flush) in
// turn, and check every crash state the policy allows there; optionally cut again during the
// recovery of each state (R8).

#include <ferros/check/checker.h>
#include <ferros/check/workload.h>
#include <ferros/crash/policy.h>
#include <limits>

namespace ferros::check {

struct ExploreOptions {
    crash::Policy policy;
    uint64_t device_size { 64 * 1024 };
    storage::StoreOptions store;
    uint64_t seed { 1 }; // for sampled state spaces
    bool nested_cuts { false }; // R8: also cut during the recovery of each state
    bool live { true }; // R14: run the continuation after recovery (CheckOptions::live)
    uint64_t first_cut { 0 };
    uint64_t cut_stride { 1 }; // 1 = every operation
    uint64_t max_cuts { std::numeric_limits<uint64_t>::max() };
    size_t max_violations { 8 }; // stop early once this many are found
};

struct FoundViolation {
    uint64_t cut { 0 }; // device operation before which power was cut
    uint64_t state { 0 }; // state index at that cut (docs/crash-model.md)
    bool nested { false }; // found after a second cut, during recovery
    Violation violation;
};

struct ExploreReport {
    uint64_t operations { 0 }; // device operations of the uncut run
    uint64_t cuts { 0 };
    uint64_t states { 0 }; // state indices enumerated
    uint64_t distinct_states { 0 }; // checked after deduplication by content hash (per cut)
    uint64_t nested_states { 0 };
    double ring_turns { 0 }; // how far the uncut run's head went, in ring lengths
    uint64_t withdrawn { 0 }; // commits the uncut run saw refused (NoSpace, TooBig)
    std::vector<FoundViolation> violations;

    bool found(Invariant invariant) const;
    // One line a violation, for test failure messages.
    std::string summary() const;
};

ExploreReport explore(const Workload& workload, const ExploreOptions& options);

} // namespace ferros::check
