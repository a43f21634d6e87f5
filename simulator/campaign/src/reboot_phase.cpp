#include <algorithm>
#include <ferros/base/rng.h>
#include <ferros/campaign/host_recovery.h>
#include <ferros/campaign/phases.h>
#include <ferros/campaign/verdict.h>
#include <ferros/campaign/walker.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/files.h>
#include <filesystem>
#include <fmt/format.h>
#include <set>

namespace ferros::campaign {

namespace {

    // The states --reboot asks for, in boundary order: every one, or K drawn with the campaign's
    // PRNG plus every state the host checker flagged (so that both checkers see the failures).
    std::vector<StateRow> select_states(const Plan& plan, const std::vector<StateRow>& all)
    {
        if (plan.reboot_mode == RebootMode::None)
            return {};
        if (plan.reboot_mode == RebootMode::All || plan.reboot_sample >= all.size())
            return all;
        std::set<size_t> chosen;
        Rng rng(plan.seed ^ 0x5245424f4f54ULL); // "REBOOT": a stream of its own
        while (chosen.size() < plan.reboot_sample)
            chosen.insert(rng.below(all.size()));
        size_t flagged = 0;
        for (size_t i = 0; i < all.size() && flagged < plan.reboot_sample; ++i) {
            if (!all[i].invariants.empty() && chosen.insert(i).second)
                ++flagged;
        }
        std::vector<StateRow> out;
        for (auto i : chosen)
            out.push_back(all[i]);
        return out;
    }

} // namespace

Result<void> reboot_phase(
    const Plan& plan, const std::string& trace_path, ResultsDb& db, Reporter& reporter, const std::atomic<bool>& stop)
{
    auto states = db.states(1);
    if (states.is_error())
        return Failure(ErrorCode::Io, fmt::format("results database: {}", db.last_error()));
    auto done_reboots = db.reboots();
    if (done_reboots.is_error())
        return Failure(ErrorCode::Io, fmt::format("results database: {}", db.last_error()));
    auto selected = select_states(plan, states.value());
    std::set<uint64_t> done;
    for (auto const& r : done_reboots.value())
        done.insert(r.hash);
    if (selected.empty())
        return {};

    auto r = TRY(open_reconstructor(trace_path, plan.initial_image));
    auto workload = plan.workload();
    MarkerOracle oracle(workload);
    size_t markers_taken = 0;
    auto const interrupted = Failure(ErrorCode::Interrupted, "interrupted; rerun the same command to resume");

    auto bar = reporter.progress(plan.options.depth == 2 ? "reboot+recut" : "reboot");
    size_t index = 0;
    for (auto const& row : selected) {
        bar->update(index, selected.size(), fmt::format("{} of {} states", index, selected.size()));
        ++index;
        if (stop.load())
            return interrupted;
        auto nested_name = fmt::format("nested:{:016x}", row.hash);
        bool const reboot_done = done.count(row.hash) != 0;
        bool nested_done = plan.options.depth < 2;
        if (!nested_done) {
            auto p = db.progress(nested_name);
            if (p.is_error())
                return Failure(ErrorCode::Io, fmt::format("results database: {}", db.last_error()));
            nested_done = p.value().done;
        }
        if (reboot_done && nested_done)
            continue;

        if (r.advance_to(Boundary(row.boundary)).is_error())
            return Failure(ErrorCode::Corrupt, "the trace changed under the campaign");
        for (; markers_taken < r.markers().size(); ++markers_taken)
            TRY(oracle.take(r.markers()[markers_taken].word));
        auto crash_states = r.states(plan.policy, plan.seed);
        if (crash_states.is_error() || row.state >= crash_states.value().count())
            return Failure(ErrorCode::Corrupt, "a recorded state no longer exists in the trace");
        auto image = TRY(crash_states.value().image(row.state));

        auto scratch = TRY(qemu::ScratchDir::create());
        auto image_path = scratch.file("state.img");
        TRY(qemu::write_file_atomically(image_path, image));
        auto m = TRY(reboot_machine(plan, image_path, scratch));
        auto& plugin = *m.plugin;
        auto nested_trace = plan.path(fmt::format("recovery-{:016x}.ftr", row.hash));
        if (!nested_done)
            plugin.trace = nested_trace;
        qemu::BootOptions boot_options;
        boot_options.echo_console = false;
        boot_options.timeout_seconds = plan.options.timeout;
        auto result = qemu::boot(m, boot_options);
        if (result.outcome == qemu::BootOutcome::Interrupted)
            return interrupted;
        TRY(qemu::attach_plugin_events(*plugin.events, result.timeline));

        if (!reboot_done) {
            RebootRow reboot { row.hash, row.boundary, row.state, qemu::boot_outcome_name(result.outcome),
                qemu::ready_instructions(result.timeline).value_or(0), host_recovery_passes(image, plan.bug),
                result.outcome == qemu::BootOutcome::Ready };
            auto token = plan.token();
            token.boundary = row.boundary;
            token.state = row.state;
            std::vector<ViolationRow> violations;
            if (auto verdict = reboot_verdict(result, plan.options.boot_budget))
                violations.push_back(ViolationRow { verdict->invariant, row.boundary, row.state, 1, Checker::Reboot,
                    token.encode(), verdict->message });
            if (db.add_reboot(reboot, violations).is_error())
                return Failure(ErrorCode::Io, fmt::format("results database: {}", db.last_error()));
        }

        if (!nested_done) {
            auto nested = TRY(open_reconstructor(nested_trace, image));
            WalkConfig config;
            config.policy = plan.policy;
            config.seed = plan.seed;
            config.jobs = plan.jobs;
            config.check.store.bug = plan.bug;
            config.check.full_check = plan.options.full_check;
            config.token = plan.token();
            config.depth = 2;
            config.fixed_history = std::make_shared<const check::History>(oracle.history());
            config.first_cut = NestedCut { row.boundary, row.state };
            config.progress_name = nested_name;
            auto walked = walk(nested, nullptr, db, config, {}, stop);
            if (walked.is_error()) {
                if (walked.error().code() == ErrorCode::Interrupted)
                    return interrupted;
                return Failure(walked.error()).in("walking a recovery");
            }
            std::error_code ignored;
            std::filesystem::remove(nested_trace, ignored);
        }
    }
    bar->finish(fmt::format("{} states rebooted", selected.size()));
    return {};
}

} // namespace ferros::campaign
