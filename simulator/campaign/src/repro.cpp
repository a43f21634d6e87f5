#include <ferros/campaign/oracle.h>
#include <ferros/campaign/phases.h>
#include <ferros/campaign/repro.h>
#include <ferros/campaign/verdict.h>
#include <ferros/check/checker.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/paths.h>
#include <fmt/format.h>
#include <memory>

namespace ferros::campaign {

namespace {

    Result<std::vector<uint8_t>> state_image(
        reconstruct::Reconstructor& r, const Plan& plan, uint64_t boundary, uint64_t state, MarkerOracle* oracle)
    {
        if (boundary > r.end_boundary().value())
            return Failure(ErrorCode::InvalidArgument,
                fmt::format(
                    "the token's boundary {} lies beyond the run's end ({})", boundary, r.end_boundary().value()));
        if (r.advance_to(Boundary(boundary)).is_error())
            return Failure(ErrorCode::Corrupt, "cannot replay the trace to the token's boundary");
        if (oracle) {
            for (auto const& marker : r.markers()) {
                if (oracle->take(marker.word).is_error())
                    return Failure(ErrorCode::Corrupt, "the trace's markers do not fit the workload");
            }
        }
        auto states = r.states(plan.policy, plan.seed);
        if (states.is_error() || state >= states.value().count())
            return Failure(ErrorCode::InvalidArgument,
                fmt::format("the token's state {} does not exist at boundary {} ({} states there)", state, boundary,
                    states.is_error() ? 0 : states.value().count()));
        return TRY(states.value().image(state));
    }

    // Boots the image to ready (the recovery), optionally tracing it or waiting for gdb.
    Result<qemu::BootResult> reboot(const Plan& plan, const std::string& image_path, const qemu::ScratchDir& scratch,
        std::optional<std::string> trace, std::optional<uint16_t> gdb_port)
    {
        // A traced recovery (a depth-2 token) ends at ready, as the campaign traced it.
        auto m = TRY(reboot_machine(plan, image_path, scratch, trace ? RebootEnd::Ready : reboot_end(plan)));
        auto const& plugin = *m.plugin;
        m.plugin->trace = trace;
        m.gdb_port = gdb_port;
        qemu::BootOptions options;
        options.echo_console = gdb_port.has_value();
        options.timeout_seconds = gdb_port ? 1e9 : plan.options.timeout;
        auto result = qemu::boot(m, options);
        if (result.outcome == qemu::BootOutcome::Interrupted)
            return Failure(ErrorCode::Interrupted, "interrupted during the reboot");
        if (result.process.started)
            TRY(qemu::attach_plugin_events(*plugin.events, result.timeline));
        return result;
    }

    Result<Plan> plan_for(const ReproToken& token, const ReproOptions& options, const qemu::ScratchDir& scratch)
    {
        CampaignOptions campaign_options;
        campaign_options.kernel = options.kernel;
        campaign_options.policy = token.policy;
        campaign_options.bug = token.bug;
        campaign_options.ssd_size = token.image_size;
        campaign_options.reboot = "none";
        if (token.generated) {
            campaign_options.seed = token.generated->seed;
            campaign_options.ops = token.generated->ops;
            campaign_options.profile = token.generated->profile;
        } else if (options.workload.empty()) {
            return Failure(
                ErrorCode::InvalidArgument, "this token's workload came from a file: give it with --workload FILE");
        } else {
            campaign_options.workload_file = options.workload;
        }
        campaign_options.out = scratch.file("campaign");
        auto plan = TRY(make_plan(campaign_options));
        plan.seed = token.seed;
        if (plan.kernel_hash != token.kernel_hash)
            return Failure(ErrorCode::Mismatch,
                fmt::format("this token is from another build: its kernel hash is {:016x}, this build's "
                            "kernel ({}) hashes to {:016x}",
                    token.kernel_hash, plan.kernel, plan.kernel_hash));
        if (plan.workload_hash != token.workload_hash)
            return Failure(ErrorCode::Mismatch,
                fmt::format("the workload does not match the token (hash {:016x}, expected {:016x})",
                    plan.workload_hash, token.workload_hash));
        return plan;
    }

    // A real cut at the token's boundary and state: does it leave the reconstruction's image?
    Result<bool> real_cut_agrees(const Repro& repro, const qemu::ScratchDir& scratch)
    {
        auto const& plan = repro.plan;
        qemu::MachineOptions machine_options;
        machine_options.kernel = plan.kernel;
        machine_options.ssd = plan.path("initial.img");
        machine_options.workload = plan.path("workload.bin");
        machine_options.append = plan.kernel_args();
        auto m = TRY(qemu::make_machine(machine_options, scratch));
        m.kernel_args.push_back("ferros.until=poweroff");
        auto plugin = TRY(qemu::plugin_config());
        plugin.cut_at = repro.token.boundary;
        plugin.policy = repro.token.policy;
        plugin.state = repro.token.state;
        plugin.seed = repro.token.seed;
        plugin.image_out = scratch.file("real-cut.img");
        m.plugin = plugin;
        qemu::BootOptions quiet;
        quiet.echo_console = false;
        auto cut = qemu::boot(m, quiet);
        if (cut.outcome != qemu::BootOutcome::Cut || !qemu::file_exists(*plugin.image_out))
            return false;
        return TRY(qemu::read_file(*plugin.image_out, "cut image")) == repro.image;
    }

} // namespace

Result<Repro> repro(
    const ReproToken& token, const ReproOptions& options, const qemu::ScratchDir& scratch, Reporter& reporter)
{
    Repro out { token, TRY(plan_for(token, options, scratch)) };
    auto const& plan = out.plan;
    reporter.note(fmt::format("repro: tracing the run again ({}, policy {}, seeded bug {})",
        token.generated ? fmt::format("workload seed {}", token.generated->seed) : options.workload, token.policy,
        token.bug));
    auto trace_path = TRY(trace_phase(plan, reporter));
    auto workload = plan.workload();
    MarkerOracle oracle(workload);
    auto r = TRY(open_reconstructor(trace_path, plan.initial_image));
    out.image = TRY(state_image(r, plan, token.boundary, token.state, &oracle));
    auto history = std::make_shared<const check::History>(oracle.history());
    out.last_submitted = oracle.last_submitted();
    out.last_durable = oracle.last_durable();
    out.real_cut_agrees = TRY(real_cut_agrees(out, scratch));

    if (token.nested) {
        auto first = scratch.file("first-cut.img");
        TRY(qemu::write_file_atomically(first, out.image));
        auto recovery_trace = scratch.file("recovery.ftr");
        TRY(reboot(plan, first, scratch, recovery_trace, std::nullopt));
        auto nested = TRY(open_reconstructor(recovery_trace, out.image));
        out.image = TRY(state_image(nested, plan, token.nested->boundary, token.nested->state, nullptr));
    }
    auto image_path = scratch.file("state.img");
    TRY(qemu::write_file_atomically(image_path, out.image));

    check::CheckOptions check_options;
    check_options.store.bug = plan.bug;
    out.host = check::check_state(out.image, *history, check_options);
    if (options.gdb_port)
        reporter.note(fmt::format("QEMU waits at the first instruction of the reboot; attach with:\n  gdb {} -ex "
                                  "'target remote 127.0.0.1:{}'",
            plan.kernel, *options.gdb_port));
    out.reboot = TRY(reboot(plan, image_path, scratch, std::nullopt, options.gdb_port));
    out.reboot_violation = reboot_verdict(out.reboot, plan.options.boot_budget);
    return out;
}

} // namespace ferros::campaign
