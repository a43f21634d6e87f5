// `ferros campaign`: trace one run, cover every boundary, check every distinct crash state,
// reboot on a sample, and report each violation with a token that reproduces it.
#include "campaign/phases.h"
#include "campaign/plan.h"
#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <ferros/reports/campaign_report.h>
#include <ferros/storage/seeded_bug.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <ferros/tools/files.h>
#include <ferros/tools/paths.h>
#include <ferros/trace/trace_reader.h>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <set>

namespace ferros::tools {

namespace {

    using campaign::CampaignOptions;

    std::atomic<bool> g_stop { false };

    void request_stop(int) { g_stop = true; }

    ferros::campaign::ResultsDb open_db(const std::string& path)
    {
        auto db = ferros::campaign::ResultsDb::open(path);
        if (db.is_error())
            fail(Exit::Usage, fmt::format("cannot open the results database '{}'", path));
        return db.release_value();
    }

    uint64_t trace_boundaries(const std::string& trace_path)
    {
        auto reader = trace::TraceReader::open(trace_path);
        return reader.is_error() ? 0 : reader.value().footer().end_boundary + 1;
    }

    int print_summary(reports::CampaignSummary& summary, const std::string& out_dir, bool json)
    {
        std::fputs(reports::render_text(summary, out_dir).c_str(), stdout);
        write_file_atomically(out_dir + "/report.md", [&] {
            auto text = reports::render_markdown(summary);
            return std::vector<uint8_t>(text.begin(), text.end());
        }());
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
        auto plan = campaign::make_plan(options);
        auto db = open_db(plan.path("results.db"));
        if (db.identity().value_or({}).empty() && db.set_identity(plan.identity()).is_error())
            fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));

        g_stop = false;
        struct sigaction action {
        }, previous {};
        action.sa_handler = request_stop;
        sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, &previous);
        ::sigaction(SIGTERM, &action, nullptr);

        auto trace_path = campaign::trace_phase(plan);
        auto start = std::chrono::steady_clock::now();
        auto checked_before = db.progress("main").value_or({}).checked;
        auto walked = campaign::walk_phase(plan, trace_path, db, g_stop);
        double walk_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        campaign::reboot_phase(plan, trace_path, db, g_stop);
        ::sigaction(SIGINT, &previous, nullptr);

        auto summary = reports::summarize(db);
        if (summary.is_error())
            fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));
        summary.value().total_boundaries = trace_boundaries(trace_path);
        summary.value().workload_description = describe_workload(plan);
        summary.value().jobs = plan.jobs;
        // Throughput of this invocation's walk only (a resumed run checked the rest earlier).
        summary.value().walk_seconds = walked.checked > checked_before ? walk_seconds : 0;
        if (summary.value().walk_seconds > 0) {
            auto fresh = walked.checked - checked_before;
            summary.value().walk_seconds
                = walk_seconds * static_cast<double>(walked.checked) / static_cast<double>(fresh);
        }
        return print_summary(summary.value(), plan.out_dir, options.json);
    }

    struct MergeOptions {
        std::string out;
        std::vector<std::string> shards;
        bool json { false };
    };

    int merge(const MergeOptions& options);

} // namespace

void register_campaign(CLI::App& app)
{
    auto options = std::make_shared<CampaignOptions>();
    auto* cmd = app.add_subcommand("campaign",
        "Power-cut campaign: trace a run, check the crash state at every instruction boundary, report violations");
    cmd->add_option("--seed", options->seed, "Generate the workload from this seed (default 1)");
    cmd->add_option("--workload", options->workload_file, "Use this workload file instead of generating one");
    cmd->add_option("--ops", options->ops, "Operations in a generated workload (default 300)");
    cmd->add_option("--profile", options->profile, "Profile of a generated workload (default txn)");
    cmd->add_option("--policy", options->policy, "Crash policy (docs/crash-model.md; default cache:512:4)");
    cmd->add_option("--jobs", options->jobs, "Checker threads (default: one per core)");
    cmd->add_option("--reboot", options->reboot, "Reboot in QEMU on: all, sample:K (default sample:4), none");
    cmd->add_option("--depth", options->depth, "2: also cut again during each rebooted state's recovery (R8)");
    cmd->add_option("--out", options->out, "Output directory (default campaign-out); rerun to resume");
    cmd->add_flag("--json", options->json, "Print one JSON object as the last line");
    cmd->add_option("--inject-bug", options->bug, "Build the store with this seeded bug (ferros campaign --list-bugs)");
    cmd->add_flag("--list-bugs", options->list_bugs, "List the seeded bugs, one name a line");
    cmd->add_option("--shard", options->shard, "Run slice I of N of the boundary classes: I/N");
    cmd->add_option("--ssd-size", options->ssd_size, "Bytes of the blank SSD the run starts from (default 65536)");
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

namespace {

    int merge(const MergeOptions& options)
    {
        using namespace ferros::campaign;
        std::map<std::string, std::string> identity;
        std::set<uint32_t> shards_seen;
        uint32_t shard_count = 0;
        WalkProgress total;
        total.done = true;
        std::vector<StateRow> states;
        std::set<uint64_t> hashes;
        std::vector<ViolationRow> violations;
        std::vector<std::pair<RebootRow, std::vector<ViolationRow>>> reboots;
        uint64_t total_boundaries = 0;
        for (auto const& dir : options.shards) {
            auto path = dir + "/results.db";
            if (!file_exists(path))
                fail(Exit::Usage, fmt::format("'{}' holds no campaign results", dir));
            auto db = open_db(path);
            auto id = db.identity().value_or({});
            auto shard = id["shard"];
            uint32_t index = 0, count = 0;
            if (std::sscanf(shard.c_str(), "%u/%u", &index, &count) != 2 || count == 0)
                fail(Exit::Usage, fmt::format("'{}' is not a shard of a campaign", dir));
            id.erase("shard");
            if (identity.empty()) {
                identity = id;
                shard_count = count;
            } else if (id != identity || count != shard_count) {
                fail(Exit::Usage, fmt::format("'{}' is a shard of a different campaign", dir));
            }
            if (!shards_seen.insert(index).second)
                fail(Exit::Usage, fmt::format("shard {}/{} is given twice", index, count));
            auto p = db.progress("main").value_or({});
            if (!p.done)
                fail(Exit::Usage,
                    fmt::format("shard {}/{} in '{}' has not finished: rerun it first", index, count, dir));
            total.boundaries += p.boundaries;
            total.classes += p.classes;
            total.states += p.states;
            total.checked += p.checked;
            total.class_index = std::max(total.class_index, p.class_index);
            total.next_boundary = std::max(total.next_boundary, p.next_boundary);
            total_boundaries = std::max(total_boundaries, trace_boundaries(dir + "/trace.ftr"));
            for (auto const& row : db.states(1).value_or({})) {
                if (hashes.insert(row.hash).second)
                    states.push_back(row);
            }
            for (auto const& v : db.violations().value_or({})) {
                if (v.checker == "host" && v.depth == 1)
                    violations.push_back(v);
            }
            for (auto const& r : db.reboots().value_or({}))
                reboots.emplace_back(r, std::vector<ViolationRow> {});
        }
        if (shards_seen.size() != shard_count)
            fail(Exit::Usage,
                fmt::format("{} of {} shards given; merge needs all of them", shards_seen.size(), shard_count));
        total.distinct = hashes.size();
        std::filesystem::create_directories(options.out);
        auto db = open_db(options.out + "/results.db");
        identity["shard"] = fmt::format("merged/{}", shard_count);
        if (!db.identity().value_or({}).empty())
            fail(Exit::Usage, fmt::format("'{}' already holds results; merge into an empty directory", options.out));
        if (db.set_identity(identity).is_error() || db.commit_batch("main", states, violations, total).is_error())
            fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));
        for (auto const& [row, v] : reboots)
            (void)db.add_reboot(row, v);
        auto summary = reports::summarize(db);
        if (summary.is_error())
            fail(Exit::Failed, fmt::format("results database: {}", db.last_error()));
        summary.value().total_boundaries = total_boundaries;
        summary.value().workload_description = fmt::format("{} shards merged", shard_count);
        return print_summary(summary.value(), options.out, options.json);
    }

} // namespace

} // namespace ferros::tools
