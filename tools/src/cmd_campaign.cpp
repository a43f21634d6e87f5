// `ferros campaign`: trace one run, cover every boundary, check every distinct crash state,
// reboot on a sample, and report each violation with a token that reproduces it. The engine
// is simulator/campaign; this file parses arguments, handles signals and prints.
#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <ferros/campaign/merge.h>
#include <ferros/campaign/phases.h>
#include <ferros/campaign/plan.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/paths.h>
#include <ferros/reports/campaign_report.h>
#include <ferros/storage/seeded_bug.h>
#include <ferros/tools/command_support.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <fmt/format.h>
#include <memory>

namespace ferros::tools {

namespace {

    using campaign::CampaignOptions;

    campaign::ResultsDb open_db(const std::string& path)
    {
        auto db = campaign::ResultsDb::open(path);
        if (db.is_error())
            fail(Exit::Usage, fmt::format("cannot open the results database '{}'", path));
        return db.release_value();
    }

    reports::CampaignSummary summarize(campaign::ResultsDb& db)
    {
        auto summary = reports::summarize(db);
        if (summary.is_error())
            fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));
        return summary.release_value();
    }

    int print_summary(const reports::CampaignSummary& summary, const std::string& out_dir, bool json)
    {
        std::fputs(reports::render_text(summary, out_dir).c_str(), stdout);
        auto markdown = reports::render_markdown(summary);
        must(qemu::write_file_atomically(
            out_dir + "/report.md", std::vector<uint8_t>(markdown.begin(), markdown.end())));
        auto html = reports::render_html(summary);
        must(qemu::write_file_atomically(out_dir + "/report.html", std::vector<uint8_t>(html.begin(), html.end())));
        if (json)
            std::printf("%s\n", reports::render_json(summary).c_str());
        std::fflush(stdout);
        return static_cast<int>(summary.violations == 0 ? Exit::Ok : Exit::Failed);
    }

    std::string describe_workload(const campaign::Plan& plan)
    {
        if (plan.generated)
            return fmt::format("workload {} ops, profile {}, seed {}", plan.generated->ops, plan.generated->profile,
                plan.generated->seed);
        return fmt::format("workload {} ({} ops)", plan.options.workload_file, plan.workload().op_count());
    }

    int run_campaign(const CampaignOptions& options)
    {
        if (options.list_bugs) {
            for (auto bug : storage::kSeededBugs) {
                if (bug != storage::SeededBug::None)
                    std::printf("%s\n", storage::seeded_bug_name(bug));
            }
            return 0;
        }
        auto plan = must(campaign::make_plan(options));
        must(qemu::plugin_config()); // the campaign traces: fail early without the plugin
        auto db = open_db(plan.path("results.db"));
        auto identity = db.identity();
        if (identity.is_error())
            fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));
        if (identity.value().empty() && db.set_identity(plan.identity()).is_error())
            fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));
        auto before = db.progress("main");
        if (before.is_error())
            fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));

        ConsoleReporter reporter;
        std::string trace_path;
        campaign::WalkProgress walked;
        double walk_seconds = 0;
        {
            StopOnSignal stop;
            trace_path = must(campaign::trace_phase(plan, reporter));
            auto start = std::chrono::steady_clock::now();
            walked = must(campaign::walk_phase(plan, trace_path, db, reporter, stop.flag()));
            walk_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            must(campaign::loss_phase(plan, trace_path, db, reporter, stop.flag()));
            must(campaign::reboot_phase(plan, trace_path, db, reporter, stop.flag()));
        }

        auto summary = summarize(db);
        summary.total_boundaries = must(campaign::trace_boundaries(trace_path));
        summary.workload_description = describe_workload(plan);
        summary.jobs = plan.jobs;
        // Throughput of this invocation's walk only (a resumed run checked the rest earlier).
        auto const checked_before = before.value().checked;
        summary.walk_seconds = 0;
        if (walked.checked > checked_before) {
            auto fresh = walked.checked - checked_before;
            summary.walk_seconds = walk_seconds * static_cast<double>(walked.checked) / static_cast<double>(fresh);
        }
        return print_summary(summary, plan.out_dir, options.json);
    }

    struct MergeOptions {
        std::string out;
        std::vector<std::string> shards;
        bool json { false };
    };

    int merge(const MergeOptions& options)
    {
        auto merged = must(campaign::merge_shards(options.shards, options.out));
        auto db = open_db(options.out + "/results.db");
        auto summary = summarize(db);
        summary.total_boundaries = merged.total_boundaries;
        summary.workload_description = fmt::format("{} shards merged", merged.shard_count);
        return print_summary(summary, options.out, options.json);
    }

} // namespace

void register_campaign(CLI::App& app)
{
    auto options = std::make_shared<CampaignOptions>();
    auto* cmd = app.add_subcommand("campaign",
        "Power-cut campaign: trace a run, check the crash state at every instruction boundary, report violations");
    cmd->add_option("--seed", options->seed, "Generate the workload from this seed (default 1)");
    cmd->add_option("--workload", options->workload_file, "Use this workload file instead of generating one");
    cmd->add_option("--ops", options->ops, "Operations in a generated workload (default 1000)");
    cmd->add_option(
        "--profile", options->profile, "Profile of a generated workload (default ring: ferros workload gen --help)");
    cmd->add_option("--policy", options->policy, "Crash policy (docs/crash-model.md; default cache:512:4)");
    cmd->add_option("--jobs", options->jobs, "Checker threads (default: one per core)");
    cmd->add_option("--reboot", options->reboot, "Reboot in QEMU on: all, sample:K (default sample:4), none");
    cmd->add_option("--reboot-until", options->reboot_until,
           "Where a reboot ends: live (default: past ready, once the store ran the continuation after recovery "
           "in the guest, R14) or ready (R1, R2, R9 only; about 3.5 times faster)")
        ->check(CLI::IsMember({ "live", "ready" }));
    cmd->add_option("--depth", options->depth, "2: also cut again during each rebooted state's recovery (R8)");
    cmd->add_option("--out", options->out, "Output directory (default campaign-out); rerun to resume");
    cmd->add_flag("--json", options->json, "Print one JSON object as the last line");
    cmd->add_option("--inject-bug", options->bug, "Build the store with this seeded bug (ferros campaign --list-bugs)");
    cmd->add_flag("--list-bugs", options->list_bugs, "List the seeded bugs, one name a line");
    cmd->add_option("--shard", options->shard, "Run slice I of N of the boundary classes: I/N");
    cmd->add_option("--ssd-size", options->ssd_size, "Bytes of the blank SSD the run starts from (default 65536)");
    cmd->add_flag("--full-check", options->full_check,
        "Verify every crash state from scratch (default: reuse what was verified on its durable image)");
    cmd->add_flag("--no-live", options->no_live,
        "Leave out R14, the continuation after recovery (a lap of the ring per state; costly on large stores)");
    cmd->add_option("--boot-budget", options->boot_budget,
        "R9: instructions from kernel-entry to ready a reboot may take (default 2000000)");
    cmd->add_option("--kernel", options->kernel, "Kernel ELF (default: the built kernel)");
    cmd->add_option("--timeout", options->timeout, "Wall-clock watchdog per QEMU run, in seconds");

    auto merge_options = std::make_shared<MergeOptions>();
    auto* merge_cmd = cmd->add_subcommand("merge", "Combine the results of shard directories into one");
    merge_cmd->add_option("--out", merge_options->out, "Directory for the merged results")->required();
    merge_cmd->add_option("shards", merge_options->shards, "Shard output directories")->required();
    merge_cmd->add_flag("--json", merge_options->json, "Print one JSON object as the last line");
    cmd->callback([options, merge_options, merge_cmd] {
        if (merge_cmd->parsed())
            throw CLI::RuntimeError(merge(*merge_options));
        throw CLI::RuntimeError(run_campaign(*options));
    });
}

} // namespace ferros::tools
