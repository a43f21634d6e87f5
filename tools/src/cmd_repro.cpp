// `ferros repro TOKEN`: rebuild exactly the crash state a token names, check it host-natively,
// cross-check it against a real cut, reboot Ferros on it, and say which invariant fails.
#include "campaign/phases.h"
#include "campaign/plan.h"
#include <CLI/CLI.hpp>
#include <ferros/campaign/oracle.h>
#include <ferros/campaign/token.h>
#include <ferros/check/checker.h>
#include <ferros/reconstruct/reconstructor.h>
#include <ferros/tools/boot.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <ferros/tools/files.h>
#include <ferros/tools/machine_options.h>
#include <ferros/tools/paths.h>
#include <ferros/tools/plugin_run.h>
#include <ferros/trace/file_hash.h>
#include <ferros/workload/builder.h>
#include <fmt/format.h>
#include <memory>

namespace ferros::tools {

namespace {

    struct ReproOptions {
        std::string token;
        std::string workload;
        std::string kernel;
        bool gdb { false };
        uint16_t gdb_port { 1234 };
    };

    struct Rebuilt {
        std::vector<uint8_t> image;
        std::shared_ptr<const check::History> history;
        std::optional<uint32_t> last_submitted;
        std::optional<uint32_t> last_durable;
    };

    std::vector<uint8_t> state_image(reconstruct::Reconstructor& r, const campaign::Plan& plan, uint64_t boundary,
        uint64_t state, ferros::campaign::MarkerOracle* oracle)
    {
        if (boundary > r.end_boundary().value())
            fail(Exit::Usage,
                fmt::format(
                    "the token's boundary {} lies beyond the run's end ({})", boundary, r.end_boundary().value()));
        if (r.advance_to(Boundary(boundary)).is_error())
            fail(Exit::Failed, "cannot replay the trace to the token's boundary");
        if (oracle) {
            for (auto const& marker : r.markers()) {
                if (oracle->take(marker.word).is_error())
                    fail(Exit::Failed, "the trace's markers do not fit the workload");
            }
        }
        auto states = r.states(plan.policy, plan.seed);
        if (states.is_error() || state >= states.value().count())
            fail(Exit::Usage,
                fmt::format("the token's state {} does not exist at boundary {} ({} states there)", state, boundary,
                    states.is_error() ? 0 : states.value().count()));
        return states.value().image(state).release_value();
    }

    // Boots the image to ready (the recovery), optionally tracing it.
    BootResult reboot(const campaign::Plan& plan, const std::string& image_path, const ScratchDir& scratch,
        std::optional<std::string> trace, std::optional<uint16_t> gdb_port)
    {
        auto m = campaign::reboot_machine(plan, image_path, scratch);
        auto const& plugin = *m.plugin;
        m.plugin->trace = trace;
        m.gdb_port = gdb_port;
        BootOptions options;
        options.echo_console = gdb_port.has_value();
        options.timeout_seconds = gdb_port ? 1e9 : plan.options.timeout;
        if (gdb_port)
            std::printf("ferros: QEMU waits at the first instruction of the reboot; attach with:\n  gdb %s -ex 'target "
                        "remote 127.0.0.1:%u'\n",
                plan.kernel.c_str(), *gdb_port);
        auto result = boot(m, options);
        (void)attach_plugin_events(*plugin.events, result.timeline);
        return result;
    }

    void print_operations(const abi::Workload& workload, const Rebuilt& rebuilt)
    {
        std::vector<std::string> lines;
        auto text = workload::to_text(workload);
        size_t pos = text.find('\n');
        while (pos != std::string::npos && pos + 1 < text.size()) {
            auto next = text.find('\n', pos + 1);
            lines.push_back(text.substr(pos + 1, next - pos - 1));
            pos = next;
        }
        int64_t const around = rebuilt.last_submitted ? *rebuilt.last_submitted : -1;
        std::printf("ferros: operations around the cut (last submitted: %s, last acknowledged durable: %s)\n",
            rebuilt.last_submitted ? std::to_string(*rebuilt.last_submitted).c_str() : "none",
            rebuilt.last_durable ? std::to_string(*rebuilt.last_durable).c_str() : "none");
        for (int64_t i = std::max<int64_t>(0, around - 4); i < static_cast<int64_t>(lines.size()) && i <= around + 3;
             ++i) {
            const char* mark = i == around ? "  <- in flight at the cut" : (i < around ? "" : "  (not yet submitted)");
            std::printf("  %s%s\n", lines[static_cast<size_t>(i)].c_str(), mark);
        }
    }

    int repro(const ReproOptions& options)
    {
        auto decoded = ferros::campaign::ReproToken::decode(options.token);
        if (decoded.is_error())
            fail(Exit::Usage, fmt::format("bad repro token: {}", describe_error(decoded.error())));
        auto token = decoded.release_value();

        campaign::CampaignOptions campaign_options;
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
            fail(Exit::Usage, "this token's workload came from a file: give it with --workload FILE");
        } else {
            campaign_options.workload_file = options.workload;
        }
        ScratchDir scratch;
        campaign_options.out = scratch.file("campaign");
        auto plan = campaign::make_plan(campaign_options);
        plan.seed = token.seed;
        if (plan.kernel_hash != token.kernel_hash)
            fail(Exit::Usage,
                fmt::format("this token is from another build: its kernel hash is {:016x}, this build's "
                            "kernel ({}) hashes to {:016x}",
                    token.kernel_hash, plan.kernel, plan.kernel_hash));
        if (plan.workload_hash != token.workload_hash)
            fail(Exit::Usage,
                fmt::format("the workload does not match the token (hash {:016x}, expected {:016x})",
                    plan.workload_hash, token.workload_hash));

        std::printf("ferros: repro: tracing the run again (%s, policy %s, seeded bug %s)\n",
            token.generated ? fmt::format("workload seed {}", token.generated->seed).c_str() : options.workload.c_str(),
            token.policy.c_str(), token.bug.c_str());
        auto trace_path = campaign::trace_phase(plan);
        auto workload = plan.workload();
        ferros::campaign::MarkerOracle oracle(workload);
        auto r = campaign::open_reconstructor(trace_path, plan.initial_image);
        Rebuilt rebuilt;
        rebuilt.image = state_image(r, plan, token.boundary, token.state, &oracle);
        rebuilt.history = std::make_shared<const check::History>(oracle.history());
        rebuilt.last_submitted = oracle.last_submitted();
        rebuilt.last_durable = oracle.last_durable();

        // Cross-check the reconstruction against a real cut at the same boundary and state.
        {
            MachineOptions machine_options;
            machine_options.kernel = plan.kernel;
            machine_options.ssd = plan.path("initial.img");
            machine_options.workload = plan.path("workload.bin");
            machine_options.append = plan.kernel_args();
            auto m = make_machine(machine_options, scratch);
            m.kernel_args.push_back("ferros.until=poweroff");
            auto plugin = plugin_config();
            plugin.cut_at = token.boundary;
            plugin.policy = token.policy;
            plugin.state = token.state;
            plugin.seed = token.seed;
            plugin.image_out = scratch.file("real-cut.img");
            m.plugin = plugin;
            BootOptions quiet;
            quiet.echo_console = false;
            auto cut = boot(m, quiet);
            bool const same
                = file_exists(*plugin.image_out) && read_file(*plugin.image_out, "cut image") == rebuilt.image;
            std::printf("ferros: repro: a real cut at boundary %llu leaves %s image as the reconstruction\n",
                static_cast<unsigned long long>(token.boundary),
                cut.outcome == BootOutcome::Cut && same ? "the same" : "a DIFFERENT");
        }

        std::string label = fmt::format("boundary {} state {}", token.boundary, token.state);
        if (token.nested) {
            auto first = scratch.file("first-cut.img");
            write_file_atomically(first, rebuilt.image);
            auto recovery_trace = scratch.file("recovery.ftr");
            reboot(plan, first, scratch, recovery_trace, std::nullopt);
            auto nested = campaign::open_reconstructor(recovery_trace, rebuilt.image);
            rebuilt.image = state_image(nested, plan, token.nested->boundary, token.nested->state, nullptr);
            label += fmt::format(
                ", then boundary {} state {} of its recovery", token.nested->boundary, token.nested->state);
        }
        auto image_path = scratch.file("state.img");
        write_file_atomically(image_path, rebuilt.image);
        auto kept = fmt::format("ferros-repro-{}-{}.img", token.boundary, token.state);
        write_file_atomically(kept, rebuilt.image);

        check::CheckOptions check_options;
        check_options.store.bug = plan.bug;
        auto violations = check::check_state(rebuilt.image, *rebuilt.history, check_options);
        print_operations(workload, rebuilt);

        auto result = reboot(plan, image_path, scratch, std::nullopt,
            options.gdb ? std::optional<uint16_t>(options.gdb_port) : std::nullopt);
        auto const* entry = result.timeline.find("kernel-entry");
        auto const* ready = result.timeline.find("ready");
        std::printf("ferros: repro: reboot on the state: %s%s\n", boot_outcome_name(result.outcome),
            entry && ready && entry->boundary && ready->boundary
                ? fmt::format(" (kernel-entry to ready: {} instructions)", *ready->boundary - *entry->boundary).c_str()
                : result.guest_error ? (": " + *result.guest_error).c_str()
                                     : "");

        std::printf("ferros: repro: by hand:\n");
        if (token.generated)
            std::printf("  ferros workload gen --seed %llu --ops %u --profile %s -o w.bin\n",
                static_cast<unsigned long long>(token.generated->seed), token.generated->ops,
                token.generated->profile.c_str());
        std::printf("  truncate -s %llu blank.img\n", static_cast<unsigned long long>(token.image_size));
        std::printf("  ferros cut --ssd blank.img --workload %s --at %llu --policy %s --state %llu --seed %llu%s -o "
                    "state.img\n",
            token.generated ? "w.bin" : options.workload.c_str(), static_cast<unsigned long long>(token.boundary),
            token.policy.c_str(), static_cast<unsigned long long>(token.state),
            static_cast<unsigned long long>(token.seed),
            token.bug == "none" ? "" : fmt::format(" --append ferros.bug={}", token.bug).c_str());
        std::printf("  ferros run --ssd state.img --until ready%s\n",
            token.bug == "none" ? "" : fmt::format(" --append ferros.bug={}", token.bug).c_str());
        std::printf("ferros: repro: the state's image is in %s\n", kept.c_str());

        if (violations.empty() && result.outcome == BootOutcome::Ready) {
            std::printf("ferros: repro: %s violates no invariant\n", label.c_str());
            return 0;
        }
        for (auto const& v : violations)
            std::printf("ferros: repro: violated %s%s (%s): %s\n", token.nested ? "R8 via " : "",
                check::invariant_id(v.invariant), check::invariant_name(v.invariant), v.message.c_str());
        if (result.outcome != BootOutcome::Ready)
            std::printf("ferros: repro: violated %s: the reboot ended %s\n",
                result.outcome == BootOutcome::SelfCheckFailed ? "R2" : "R1", boot_outcome_name(result.outcome));
        return static_cast<int>(Exit::Failed);
    }

} // namespace

void register_repro(CLI::App& app)
{
    auto options = std::make_shared<ReproOptions>();
    auto* cmd = app.add_subcommand("repro", "Rebuild the crash state a repro token names and check it again");
    cmd->add_option("token", options->token, "The token a campaign printed")->required();
    cmd->add_option("--workload", options->workload, "The workload file, for tokens of file workloads");
    cmd->add_option("--kernel", options->kernel, "Kernel ELF (default: the built kernel)");
    cmd->add_flag("--gdb", options->gdb, "Start the reboot on the state paused, with QEMU's gdbstub");
    cmd->add_option("--gdb-port", options->gdb_port, "TCP port of the gdbstub (default 1234)");
    cmd->callback([options] { throw CLI::RuntimeError(repro(*options)); });
}

} // namespace ferros::tools
