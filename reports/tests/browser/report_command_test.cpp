// `ferros report` end to end: a small campaign, its report.html and shutdown report, and the
// boot report of the default stores, each opened in headless Chromium (page_check.h) and held
// against the JSON the command printed.
#include "../../../tests/support/campaign_output.h"
#include "page_check.h"
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace ferros::testing;
using namespace ferros::reports::testing;

namespace {

nlohmann::json json_of(const FerrosRun& run)
{
    // --json prints the report's object, pretty-printed, as the whole of stdout.
    return nlohmann::json::parse(run.out);
}

std::string bytes_of(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

// The default campaign (300 txn ops, cache:512:4, 4 reboots): its screenshots are the ones
// docs/reports.md shows.
TEST(ReportCommand, ShutdownReportOfTheDefaultCampaign)
{
    auto dir = fresh_dir("report-campaign");
    auto campaign = run_ferros({ "campaign", "--json", "--out", dir }, 900);
    ASSERT_EQ(campaign.status, 0) << campaign.err;
    auto summary = last_json(campaign);
    ASSERT_TRUE(std::filesystem::exists(dir + "/report.html"));
    expect_page_matches_json(dir + "/report.html", summary, "default-campaign");

    auto report = run_ferros({ "report", "shutdown", dir, "--json" });
    ASSERT_EQ(report.status, 0) << report.err;
    auto j = json_of(report);
    // Every boundary of the run is in exactly one recorded class, with the walk's states.
    EXPECT_EQ(j["boundaries_covered"], summary["boundaries_total"]);
    EXPECT_EQ(j["boundaries_total"], summary["boundaries_total"]);
    EXPECT_EQ(j["classes"], summary["classes"]);
    EXPECT_EQ(j["states"], summary["states"]);
    EXPECT_EQ(j["recovery"]["reboots"], summary["reboots"]);
    EXPECT_EQ(j["recovery"]["ready"], summary["reboots"]);
    EXPECT_LE(j["recovery"]["instructions"]["max"], summary["max_ready_instructions"]);
    // The real store loses nothing acknowledged, anywhere; something is always at stake
    // somewhere in a run of commits (else the window would measure nothing).
    EXPECT_EQ(j["no_acknowledged_loss"]["percent"], 100.0);
    EXPECT_EQ(j["violations"], 0);
    EXPECT_GT(j["loss_window"]["operations"]["max"].get<uint64_t>(), 0u);
    EXPECT_GT(j["loss_window"]["bytes"]["max"].get<uint64_t>(), 0u);
    EXPECT_GT(j["loss_window"]["instructions"]["max"].get<uint64_t>(), 0u);
    EXPECT_EQ(j["loss_window"]["instructions"]["min"], 0); // before ready nothing is at stake
    EXPECT_EQ(expect_page_matches_json(dir + "/shutdown-report.html", j, "default-campaign-shutdown"), 6u);

    // The boot report can read the same campaign's reboots.
    auto boot = run_ferros({ "report", "boot", "--campaign", dir, "--out", dir + "/boot.html", "--json" });
    ASSERT_EQ(boot.status, 0) << boot.err;
    auto b = json_of(boot);
    EXPECT_EQ(b["runs_total"], summary["reboots"]);
    EXPECT_EQ(b["charts"]["ready-by-cut"], summary["reboots"]);
    expect_page_matches_json(dir + "/boot.html", b, "default-campaign-boot");
}

TEST(ReportCommand, BootReportOfTheDefaultStores)
{
    auto dir = fresh_dir("report-boot");
    std::filesystem::create_directories(dir);
    auto run = run_ferros({ "report", "boot", "--out", dir + "/boot.html", "--json" }, 600);
    ASSERT_EQ(run.status, 0) << run.err;
    auto j = json_of(run);
    ASSERT_EQ(j["runs_total"], 16);
    EXPECT_EQ(j["runs_ready"], 16);
    // Every store size: the empty store is the quickest to ready, the full one the slowest.
    for (size_t i = 0; i < 16; i += 4) {
        auto const& runs = j["runs"];
        EXPECT_LT(runs[i]["ready_instructions"].get<uint64_t>(), runs[i + 3]["ready_instructions"].get<uint64_t>())
            << runs[i]["source"];
        EXPECT_EQ(runs[i]["store_bytes"], 0);
        auto const& stages = runs[i]["stages"];
        ASSERT_FALSE(stages.empty());
        EXPECT_EQ(stages.back()["name"], "ready");
        EXPECT_FALSE(stages.back()["wall_ms"].is_null());
    }
    EXPECT_EQ(j["charts"]["boot-timeline"], j["runs"][0]["stages"].size());
    EXPECT_EQ(expect_page_matches_json(dir + "/boot.html", j, "default-stores-boot"), 5u);
}

TEST(ReportCommand, BootsOfAnImageAreExactAndLeaveItAsItWas)
{
    auto dir = fresh_dir("report-image");
    std::filesystem::create_directories(dir);
    // A formatted store from the campaign machinery's own format: `ferros run` on a blank image.
    auto image = dir + "/store.img";
    std::ofstream(image, std::ios::binary) << std::string(65536, '\0');
    ASSERT_EQ(run_ferros({ "run", "--quiet", "--ssd", image }).status, 0);
    auto before = bytes_of(image);
    auto run = run_ferros({ "report", "boot", "--ssd", image, "--runs", "2", "--out", dir + "/boot.html", "--json" });
    ASSERT_EQ(run.status, 0) << run.err;
    auto j = json_of(run);
    ASSERT_EQ(j["runs_total"], 2);
    // Under -icount the same image boots in the same number of instructions, stage by stage.
    EXPECT_EQ(j["runs"][0]["ready_instructions"], j["runs"][1]["ready_instructions"]);
    for (size_t s = 0; s < j["runs"][0]["stages"].size(); ++s)
        EXPECT_EQ(j["runs"][0]["stages"][s]["instructions"], j["runs"][1]["stages"][s]["instructions"]);
    EXPECT_EQ(bytes_of(image), before);
}

TEST(ReportCommand, BadInputIsRefusedBeforeAnyBoot)
{
    auto none = run_ferros({ "report", "shutdown", "/nonexistent-campaign" });
    EXPECT_EQ(none.status, 2);
    EXPECT_TRUE(none.contains("holds no campaign results")) << none.err;
    auto runs = run_ferros({ "report", "boot", "--runs", "0" });
    EXPECT_EQ(runs.status, 2);
    auto image = run_ferros({ "report", "boot", "--ssd", "/nonexistent.img" });
    EXPECT_EQ(image.status, 2) << image.err;
    // A directory with a results database but no finished walk.
    auto dir = fresh_dir("report-unfinished");
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/results.db") << "";
    auto unfinished = run_ferros({ "report", "shutdown", dir });
    EXPECT_NE(unfinished.status, 0);
    EXPECT_TRUE(unfinished.contains("not finished")) << unfinished.err;
}

TEST(ReportCommand, ShardsMergeIntoTheSameShutdownReport)
{
    auto campaign = [](std::vector<std::string> extra) {
        std::vector<std::string> args { "campaign", "--ops", "12", "--profile", "txn", "--reboot", "none" };
        args.insert(args.end(), extra.begin(), extra.end());
        return run_ferros(args, 600);
    };
    auto whole = fresh_dir("report-whole");
    ASSERT_EQ(campaign({ "--out", whole }).status, 0);
    std::vector<std::string> shards { fresh_dir("report-shard-0"), fresh_dir("report-shard-1") };
    for (size_t i = 0; i < shards.size(); ++i)
        ASSERT_EQ(campaign({ "--shard", std::to_string(i) + "/2", "--out", shards[i] }).status, 0);
    auto merged = fresh_dir("report-merged");
    auto merge = run_ferros({ "campaign", "merge", "--out", merged, shards[0], shards[1] });
    ASSERT_EQ(merge.status, 0) << merge.err;

    auto a = run_ferros({ "report", "shutdown", whole, "--json" });
    auto b = run_ferros({ "report", "shutdown", merged, "--json" });
    ASSERT_EQ(a.status, 0) << a.err;
    ASSERT_EQ(b.status, 0) << b.err;
    auto ja = json_of(a), jb = json_of(b);
    // Each shard recorded the classes it checked; together they are the whole run's.
    for (auto key : { "boundaries_covered", "classes", "states", "no_acknowledged_loss", "all_invariants_held",
             "loss_window", "series" })
        EXPECT_EQ(ja[key], jb[key]) << key;
}
