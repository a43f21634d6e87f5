// `ferros faults`: a fault-injection campaign over the store server's run (docs/cli.md). The
// engine is simulator/faults; this file parses arguments, handles signals and prints.
#include <CLI/CLI.hpp>
#include <csignal>
#include <ferros/faults/faults_campaign.h>
#include <ferros/qemu/machine_setup.h>
#include <ferros/qemu/paths.h>
#include <ferros/tools/command_support.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <fmt/format.h>
#include <memory>

namespace ferros::tools {

namespace {

    struct FaultsCommandOptions {
        campaign::CampaignOptions campaign;
        uint64_t every { 1 };
        std::vector<std::string> kinds;
        std::string repro;
    };

    faults::FaultsOptions faults_options(const FaultsCommandOptions& options)
    {
        faults::FaultsOptions out;
        out.every = options.every;
        if (out.every == 0)
            fail(Exit::Usage, "--every is at least 1");
        if (!options.kinds.empty()) {
            out.kinds.clear();
            for (auto const& text : options.kinds) {
                auto kind = faults::parse_fault_kind(text);
                if (kind.is_error())
                    fail(Exit::Usage, fmt::format("unknown fault kind '{}': kill, flip, corrupt or hang", text));
                out.kinds.push_back(kind.value());
            }
        }
        return out;
    }

    // Replays one injection from its token: the plan the token names (a generated workload, or
    // the --workload file whose hash it names), the point, one run, its verdict.
    int repro(const FaultsCommandOptions& options)
    {
        auto decoded = faults::decode_fault_token(options.repro);
        if (decoded.is_error())
            fail(Exit::Usage, fmt::format("bad fault token: {}", describe_error(decoded.error())));
        auto const& base = decoded.value().base;
        auto campaign = options.campaign;
        if (base.generated) {
            campaign.seed = base.generated->seed;
            campaign.ops = base.generated->ops;
            campaign.profile = base.generated->profile;
            campaign.workload_file.clear();
        } else if (campaign.workload_file.empty()) {
            fail(Exit::Usage, "this token's workload came from a file: give it with --workload");
        }
        // The plan's files go to a scratch directory: a replay leaves nothing behind.
        auto scratch = must(qemu::ScratchDir::create());
        campaign.out = scratch.file("plan");
        campaign.policy = base.policy;
        campaign.bug = base.bug;
        campaign.ssd_size = base.image_size;
        auto plan = must(campaign::make_plan(campaign));
        if (plan.kernel_hash != base.kernel_hash)
            fail(Exit::Usage, "the token names another kernel build (its hash differs from this kernel's)");
        if (plan.workload_hash != base.workload_hash)
            fail(Exit::Usage, "the token names another workload (its hash differs)");
        auto const point = decoded.value().point;
        std::vector<std::string> console;
        auto verdict = must(faults::run_injection(plan, point, 0, &console));
        for (auto const& line : console)
            std::printf("%s\n", line.c_str());
        std::string invariants;
        for (auto invariant : verdict.violations)
            invariants += std::string(invariants.empty() ? "" : ",") + check::invariant_id(invariant);
        std::printf(
            "ferros faults: %s: outcome=%s fired=%d restarts=%u gave_up=%d violations=%s wrong_answers=%u/%u %s\n",
            faults::inject_token(point).c_str(), verdict.outcome.c_str(), verdict.fired, verdict.restarts,
            verdict.gave_up, invariants.empty() ? "-" : invariants.c_str(), verdict.wrong_answers,
            verdict.gets_answered, verdict.message.c_str());
        return static_cast<int>(verdict.passed() ? Exit::Ok : Exit::Failed);
    }

    int run(const FaultsCommandOptions& options)
    {
        if (!options.repro.empty())
            return repro(options);
        auto const faults_opts = faults_options(options);
        auto plan = must(campaign::make_plan(options.campaign));
        must(qemu::plugin_config());

        ConsoleReporter reporter;
        auto summary = [&] {
            StopOnSignal stop;
            return must(faults::run_faults(plan, faults_opts, reporter, stop.flag()));
        }();

        std::fputs(faults::summary_text(summary).c_str(), stdout);
        if (options.campaign.json)
            std::printf("%s\n", faults::summary_json(summary).c_str());
        std::fflush(stdout);
        return static_cast<int>(summary.passed() ? Exit::Ok : Exit::Failed);
    }

} // namespace

void register_faults(CLI::App& app)
{
    auto options = std::make_shared<FaultsCommandOptions>();
    auto* cmd = app.add_subcommand("faults",
        "Fault-injection campaign: a fault at every K-th user instruction of the store server, each one QEMU run "
        "with a verdict");
    auto& c = options->campaign;
    c.out = "faults-out";
    c.ops = 100;
    cmd->add_option("--seed", c.seed, "Generate the workload from this seed (default 1)");
    cmd->add_option("--workload", c.workload_file, "Use this workload file instead of generating one");
    cmd->add_option("--ops", c.ops, "Operations in a generated workload (default 100)");
    cmd->add_option("--profile", c.profile, "Profile of a generated workload (default ring)");
    cmd->add_option("--policy", c.policy, "Crash policy of the device model at power-off (default cache:512:4)");
    cmd->add_option("--every", options->every, "Inject at every K-th instruction (default 1: every one)");
    cmd->add_option("--kind", options->kinds, "Fault kinds: kill, flip, corrupt, hang (default all; repeatable)");
    cmd->add_option("--out", c.out, "Output directory (default faults-out); rerun to resume");
    cmd->add_flag("--json", c.json, "Print one JSON object as the last line");
    cmd->add_option("--inject-bug", c.bug, "Build the store with this seeded bug (ferros campaign --list-bugs)");
    cmd->add_option("--shard", c.shard, "Run slice I of N of the injection points: I/N");
    cmd->add_option("--ssd-size", c.ssd_size, "Bytes of the blank SSD the run starts from (default 65536)");
    cmd->add_option("--kernel", c.kernel, "Kernel ELF (default: the built kernel)");
    cmd->add_option("--timeout", c.timeout, "Wall-clock watchdog per QEMU run, in seconds (default 600)");
    cmd->add_option("--repro", options->repro, "Replay one injection from its token and print its verdict");
    cmd->callback([options] { throw CLI::RuntimeError(run(*options)); });
}

} // namespace ferros::tools
