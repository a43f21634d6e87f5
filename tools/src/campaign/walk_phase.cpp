#include "phases.h"
#include <ferros/campaign/walker.h>
#include <ferros/tools/error.h>
#include <ferros/tools/plugin_run.h>
#include <ferros/tools/progress.h>
#include <fmt/format.h>

namespace ferros::tools::campaign {

ferros::campaign::WalkProgress walk_phase(
    const Plan& plan, const std::string& trace_path, ferros::campaign::ResultsDb& db, const std::atomic<bool>& stop)
{
    auto reconstructor = open_reconstructor(trace_path, plan.initial_image);
    auto workload = plan.workload();
    ferros::campaign::MarkerOracle oracle(workload);

    ferros::campaign::WalkConfig config;
    config.policy = plan.policy;
    config.seed = plan.seed;
    config.jobs = plan.jobs;
    config.check.store.bug = plan.bug;
    config.shard_index = plan.shard_index;
    config.shard_count = plan.shard_count;
    config.token = plan.token();

    ProgressBar bar("walk");
    auto on_progress = [&](const ferros::campaign::WalkProgress& p, uint64_t total) {
        bar.update(p.next_boundary, total, fmt::format("{} classes, {} distinct states", p.classes, p.distinct));
    };
    auto result = ferros::campaign::walk(reconstructor, &oracle, db, config, on_progress, stop);
    if (result.is_error()) {
        if (result.error().code() == ErrorCode::PowerCut)
            fail(Exit::Interrupted,
                "interrupted; every batch checked so far is saved: rerun the same command to resume");
        if (result.error().code() == ErrorCode::Io)
            fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));
        fail(Exit::Failed, fmt::format("walking the trace: {}", describe_error(result.error())));
    }
    bar.finish(
        fmt::format("{} boundaries, {} distinct states checked", result.value().boundaries, result.value().checked));
    return result.value();
}

} // namespace ferros::tools::campaign
