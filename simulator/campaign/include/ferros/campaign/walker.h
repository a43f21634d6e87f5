#pragma once
// The walk: every boundary 0..N of one traced run, one class of boundaries at a time (a class
// is a run of boundaries with the same durable base and pending set, so the same crash
// states), every state the policy allows there, deduplicated by content hash, each distinct
// state checked by the host-native checker against the oracle as of that boundary.
//
// Determinism: states are discovered in boundary order on one thread; only the checks of a
// batch run on --jobs threads, and their results are written in discovery order. The results
// do not depend on the number of jobs or on where a campaign was interrupted and resumed.

#include <atomic>
#include <cstdint>
#include <ferros/campaign/oracle.h>
#include <ferros/campaign/results_db.h>
#include <ferros/campaign/token.h>
#include <ferros/check/checker.h>
#include <ferros/crash/policy.h>
#include <ferros/reconstruct/reconstructor.h>
#include <functional>
#include <memory>

namespace ferros::campaign {

struct WalkConfig {
    crash::Policy policy;
    uint64_t seed { 0 };
    unsigned jobs { 1 };
    check::CheckOptions check;
    uint32_t shard_index { 0 };
    uint32_t shard_count { 1 };
    // Distinct states checked per batch (one database transaction).
    size_t batch_states { 2048 };
    // Filled with boundary and state for each violation's token.
    ReproToken token;
    // 1: the traced run itself. 2: a recovery boot's run, checked against `fixed_history`,
    // violations reported as R8 (a cut during recovery broke the named invariant).
    int depth { 1 };
    std::shared_ptr<const check::History> fixed_history;
    // Depth 2: which first cut this walk is the recovery of (goes into tokens).
    std::optional<NestedCut> first_cut;
    // The name the walk's progress is kept under in the results database.
    std::string progress_name { "main" };
};

using ProgressCallback = std::function<void(const WalkProgress& progress, uint64_t total_boundaries)>;

// Walks from where `db`'s progress stands to the end. `oracle` is fed the trace's markers
// (nullptr with a fixed history). Returns the final progress, or Interrupted
// when `stop` became true (everything up to the last batch is committed). Errors: those of
// the trace, the oracle (a trace of another workload) and the database.
ErrorOr<WalkProgress> walk(reconstruct::Reconstructor& reconstructor, MarkerOracle* oracle, ResultsDb& db,
    const WalkConfig& config, const ProgressCallback& on_progress, const std::atomic<bool>& stop);

} // namespace ferros::campaign
