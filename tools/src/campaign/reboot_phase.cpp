#include "host_recovery.h"
#include "phases.h"
#include <algorithm>
#include <ferros/base/rng.h>
#include <ferros/campaign/walker.h>
#include <ferros/tools/boot.h>
#include <ferros/tools/error.h>
#include <ferros/tools/files.h>
#include <ferros/tools/machine_options.h>
#include <ferros/tools/plugin_run.h>
#include <ferros/tools/progress.h>
#include <filesystem>
#include <fmt/format.h>
#include <set>

namespace ferros::tools::campaign {

namespace {

    using ferros::campaign::RebootRow;
    using ferros::campaign::StateRow;
    using ferros::campaign::ViolationRow;

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

void reboot_phase(
    const Plan& plan, const std::string& trace_path, ferros::campaign::ResultsDb& db, const std::atomic<bool>& stop)
{
    auto states = db.states(1);
    auto done_reboots = db.reboots();
    if (states.is_error() || done_reboots.is_error())
        fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));
    auto selected = select_states(plan, states.value());
    std::set<uint64_t> done;
    for (auto const& r : done_reboots.value())
        done.insert(r.hash);
    if (selected.empty())
        return;

    auto r = open_reconstructor(trace_path, plan.initial_image);
    auto workload = plan.workload();
    ferros::campaign::MarkerOracle oracle(workload);
    size_t markers_taken = 0;

    ProgressBar bar(plan.options.depth == 2 ? "reboot+recut" : "reboot");
    size_t index = 0;
    for (auto const& row : selected) {
        bar.update(index, selected.size(), fmt::format("{} of {} states", index, selected.size()));
        ++index;
        if (stop.load())
            fail(Exit::Interrupted, "interrupted; rerun the same command to resume");
        auto nested_name = fmt::format("nested:{:016x}", row.hash);
        bool const reboot_done = done.count(row.hash) != 0;
        bool nested_done = plan.options.depth < 2;
        if (!nested_done) {
            auto p = db.progress(nested_name);
            nested_done = !p.is_error() && p.value().done;
        }
        if (reboot_done && nested_done)
            continue;

        if (r.advance_to(Boundary(row.boundary)).is_error())
            fail(Exit::Failed, "the trace changed under the campaign");
        for (; markers_taken < r.markers().size(); ++markers_taken)
            (void)oracle.take(r.markers()[markers_taken].word);
        auto crash_states = r.states(plan.policy, plan.seed);
        if (crash_states.is_error() || row.state >= crash_states.value().count())
            fail(Exit::Failed, "a recorded state no longer exists in the trace");
        auto image = crash_states.value().image(row.state).release_value();

        ScratchDir scratch;
        auto image_path = scratch.file("state.img");
        write_file_atomically(image_path, image);
        auto m = reboot_machine(plan, image_path, scratch);
        auto& plugin = *m.plugin;
        auto nested_trace = plan.path(fmt::format("recovery-{:016x}.ftr", row.hash));
        if (!nested_done)
            plugin.trace = nested_trace;
        BootOptions boot_options;
        boot_options.echo_console = false;
        boot_options.timeout_seconds = plan.options.timeout;
        auto result = boot(m, boot_options);
        if (auto problem = attach_plugin_events(*plugin.events, result.timeline))
            fail(Exit::Failed, *problem);

        if (!reboot_done) {
            RebootRow reboot { row.hash, row.boundary, row.state, boot_outcome_name(result.outcome), 0,
                host_recovery_passes(image, plan.bug), result.outcome == BootOutcome::Ready };
            auto const* entry = result.timeline.find("kernel-entry");
            auto const* ready = result.timeline.find("ready");
            if (entry && ready && entry->boundary && ready->boundary)
                reboot.ready_instructions = *ready->boundary - *entry->boundary;
            auto token = plan.token();
            token.boundary = row.boundary;
            token.state = row.state;
            std::vector<ViolationRow> violations;
            if (result.outcome != BootOutcome::Ready) {
                violations.push_back(ViolationRow { result.outcome == BootOutcome::SelfCheckFailed ? "R2" : "R1",
                    row.boundary, row.state, 1, "reboot", token.encode(),
                    fmt::format("reboot ended {}: {}", boot_outcome_name(result.outcome),
                        result.guest_error.value_or("no report")) });
            } else if (reboot.ready_instructions > plan.options.boot_budget) {
                violations.push_back(ViolationRow { "R9", row.boundary, row.state, 1, "reboot", token.encode(),
                    fmt::format("ready after {} instructions, budget {}", reboot.ready_instructions,
                        plan.options.boot_budget) });
            }
            if (db.add_reboot(reboot, violations).is_error())
                fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));
        }

        if (!nested_done) {
            auto nested = open_reconstructor(nested_trace, image);
            ferros::campaign::WalkConfig config;
            config.policy = plan.policy;
            config.seed = plan.seed;
            config.jobs = plan.jobs;
            config.check.store.bug = plan.bug;
            config.token = plan.token();
            config.depth = 2;
            config.fixed_history = std::make_shared<const check::History>(oracle.history());
            config.first_cut = ferros::campaign::NestedCut { row.boundary, row.state };
            config.progress_name = nested_name;
            auto walked = ferros::campaign::walk(nested, nullptr, db, config, {}, stop);
            if (walked.is_error()) {
                if (walked.error().code() == ErrorCode::PowerCut)
                    fail(Exit::Interrupted, "interrupted; rerun the same command to resume");
                fail(Exit::Failed, fmt::format("walking a recovery: {}", describe_error(walked.error())));
            }
            std::filesystem::remove(nested_trace);
        }
    }
    bar.finish(fmt::format("{} states rebooted", selected.size()));
}

} // namespace ferros::tools::campaign
