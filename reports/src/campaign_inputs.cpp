#include <ferros/check/invariant.h>
#include <ferros/reports/campaign_inputs.h>
#include <fmt/format.h>

namespace ferros::reports {

namespace {

    template<typename T>
    Result<T> read(ErrorOr<T> value, campaign::ResultsDb& db)
    {
        if (value.is_error())
            return Failure(ErrorCode::Io, fmt::format("results database: {}", db.last_error()));
        return value.release_value();
    }

} // namespace

Result<ShutdownInput> shutdown_input(campaign::ResultsDb& db)
{
    ShutdownInput in;
    in.identity = TRY(read(db.identity(), db));
    auto walk = TRY(read(db.progress("main"), db));
    if (!walk.done)
        return Failure(ErrorCode::NotReached, "the campaign has not finished its walk: rerun it to complete it");
    auto loss = TRY(read(db.progress("loss"), db));
    auto classes = TRY(read(db.loss_classes(), db));
    if (classes.empty() && !loss.done)
        return Failure(ErrorCode::Unsupported,
            "this results database records no boundary classes (a campaign from before they were recorded, or "
            "one interrupted before its loss pass): rerun the campaign");
    if (!loss.done)
        return Failure(ErrorCode::NotReached, "the campaign's loss pass has not finished: rerun the campaign");
    // The walk covered this shard's boundaries (all of them, unsharded or merged).
    in.total_boundaries = walk.boundaries;
    for (auto const& c : classes)
        in.classes.push_back({ c.first_boundary, c.boundaries, c.transactions, c.operations, c.bytes,
            c.instructions_since_durable, c.states, check::join_ids(c.invariants) });
    for (auto const& r : TRY(read(db.reboots(), db)))
        in.reboots.push_back(
            { r.boundary, r.state, r.outcome, r.ready_instructions, r.host_passed == r.reboot_passed });
    for (auto invariant : check::kInvariants)
        in.violations_by_invariant[check::invariant_id(invariant)] = 0;
    for (auto const& v : TRY(read(db.violations(), db)))
        ++in.violations_by_invariant[check::invariant_id(v.invariant)];
    return in;
}

Result<std::vector<BootRun>> campaign_boots(campaign::ResultsDb& db)
{
    auto identity = TRY(read(db.identity(), db));
    uint64_t ssd_bytes = 0;
    if (auto it = identity.find("ssd_size"); it != identity.end())
        ssd_bytes = std::strtoull(it->second.c_str(), nullptr, 10);
    std::vector<BootRun> out;
    for (auto const& r : TRY(read(db.reboots(), db))) {
        BootRun run;
        run.source = fmt::format("campaign state {}/{}", r.boundary, r.state);
        run.ssd_bytes = ssd_bytes;
        run.cut_boundary = r.boundary;
        run.outcome = r.outcome;
        if (r.outcome == "ready")
            run.ready_instructions = r.ready_instructions;
        out.push_back(std::move(run));
    }
    return out;
}

} // namespace ferros::reports
