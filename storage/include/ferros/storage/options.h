#pragma once
// Run-time options of a store.

#include <ferros/storage/seeded_bug.h>

namespace ferros::storage {

struct StoreOptions {
    // A seeded bug to switch on (tests and campaigns only); None in every real use.
    SeededBug bug { SeededBug::None };
    // Log budget in bytes (0: the default, kLogBudget or a quarter ring on small devices).
    // A smaller budget checkpoints more often: crash tests use it to reach checkpoints and
    // rotation within small workloads. It only trades write amplification for mount time.
    uint64_t log_budget { 0 };
};

} // namespace ferros::storage
