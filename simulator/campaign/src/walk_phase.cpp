#include <ferros/campaign/phases.h>
#include <ferros/campaign/walker.h>
#include <fmt/format.h>

namespace ferros::campaign {

Result<WalkProgress> walk_phase(
    const Plan& plan, const std::string& trace_path, ResultsDb& db, Reporter& reporter, const std::atomic<bool>& stop)
{
    auto reconstructor = TRY(open_reconstructor(trace_path, plan.initial_image));
    auto workload = plan.workload();
    MarkerOracle oracle(workload);

    WalkConfig config;
    config.policy = plan.policy;
    config.seed = plan.seed;
    config.jobs = plan.jobs;
    config.check.store.bug = plan.bug;
    config.check.full_check = plan.options.full_check;
    config.check.live = !plan.options.no_live;
    config.shard_index = plan.shard_index;
    config.shard_count = plan.shard_count;
    config.token = plan.token();

    auto bar = reporter.progress("walk");
    auto on_progress = [&](const WalkProgress& p, uint64_t total) {
        bar->update(p.next_boundary, total, fmt::format("{} classes, {} distinct states", p.classes, p.distinct));
    };
    auto result = walk(reconstructor, &oracle, db, config, on_progress, stop);
    if (result.is_error()) {
        auto code = result.error().code();
        if (code == ErrorCode::Interrupted)
            return Failure(code, "interrupted; every batch checked so far is saved: rerun the same command to resume");
        if (code == ErrorCode::Io)
            return Failure(code, fmt::format("results database: {}", db.last_error()));
        return Failure(result.error()).in("walking the trace");
    }
    bar->finish(
        fmt::format("{} boundaries, {} distinct states checked", result.value().boundaries, result.value().checked));
    return result.release_value();
}

} // namespace ferros::campaign
