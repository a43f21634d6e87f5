// The campaign end to end on small workloads: coverage, determinism, resume after kill -9,
// agreement of the host-native and reboot checkers.
#include "../support/campaign_output.h"
#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using ferros::testing::FerrosRun;
using ferros::testing::fresh_dir;
using ferros::testing::last_json;
using ferros::testing::run_ferros;

namespace {

// What must not change between runs of one campaign: everything but timing.
nlohmann::json results_of(const nlohmann::json& j)
{
    auto copy = j;
    copy.erase("states_per_second");
    copy.erase("jobs");
    return copy;
}

const std::vector<std::string> kSmall { "campaign", "--ops", "12", "--profile", "txn", "--json" };

std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> more)
{
    args.insert(args.end(), more);
    return args;
}

} // namespace

TEST(Campaign, CoversEveryBoundaryAndFindsNothingOnTheRealStore)
{
    auto dir = fresh_dir("covers");
    auto r = run_ferros(with(kSmall, { "--reboot", "sample:3", "--out", dir }));
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    auto j = last_json(r);
    EXPECT_EQ(j["boundaries_covered"], j["boundaries_total"]);
    // Firmware (qboot, ~22 k instructions), boot and the workload: every instruction counts.
    EXPECT_GT(j["boundaries_total"].get<uint64_t>(), 100'000u);
    EXPECT_DOUBLE_EQ(j["coverage_percent"].get<double>(), 100.0);
    EXPECT_GT(j["distinct_states"].get<uint64_t>(), 10u);
    EXPECT_EQ(j["states_checked"], j["distinct_states"]);
    EXPECT_EQ(j["violations"], 0);
    EXPECT_EQ(j["reboots"], 3);
    EXPECT_TRUE(r.contains("boundaries covered"));
    EXPECT_TRUE(std::filesystem::exists(dir + "/report.md"));
    EXPECT_TRUE(std::filesystem::exists(dir + "/results.db"));
}

TEST(Campaign, ResultsDoNotDependOnTheNumberOfJobs)
{
    auto one = run_ferros(with(kSmall, { "--reboot", "none", "--jobs", "1", "--out", fresh_dir("jobs1") }));
    auto two = run_ferros(with(kSmall, { "--reboot", "none", "--jobs", "2", "--out", fresh_dir("jobs2") }));
    ASSERT_EQ(one.status, 0) << one.err;
    ASSERT_EQ(two.status, 0) << two.err;
    EXPECT_EQ(results_of(last_json(one)), results_of(last_json(two)));
}

TEST(Campaign, FullCheckGivesTheDefaultCampaignsVerdicts)
{
    // The default campaign (300 ops of txn, seed 1, cache:512:4) checked incrementally and
    // with --full-check: the same states, the same verdicts (docs/campaign.md, "Incremental
    // checks"). The reboots are left out: they do not depend on the host checker's mode.
    auto incremental = run_ferros({ "campaign", "--json", "--reboot", "none", "--out", fresh_dir("incremental") });
    auto full = run_ferros({ "campaign", "--json", "--reboot", "none", "--full-check", "--out", fresh_dir("full") });
    ASSERT_EQ(incremental.status, 0) << incremental.err;
    ASSERT_EQ(full.status, 0) << full.err;
    EXPECT_GT(last_json(full)["states_checked"].get<uint64_t>(), 10'000u);
    EXPECT_EQ(results_of(last_json(incremental)), results_of(last_json(full)));
}

TEST(Campaign, HostAndRebootCheckersAgreeOnEveryStateBothRan)
{
    // Every distinct state of a short run rebooted in QEMU (reboot workers), and a seeded bug
    // that breaks mount so that the two checkers also meet on broken states: the real guest
    // finds every state the host checker calls unmountable or corrupt (R1, R2), and no other.
    for (auto const* bug : { "none", "checksums-not-verified" }) {
        auto r = run_ferros({ "campaign", "--ops", "20", "--profile", "txn", "--json", "--reboot", "all",
                                "--inject-bug", bug, "--out", fresh_dir(std::string("agree-") + bug) },
            900);
        ASSERT_TRUE(r.status == 0 || r.status == 1) << r.err;
        auto j = last_json(r);
        EXPECT_EQ(j["reboots"], j["distinct_states"]) << bug;
        EXPECT_EQ(j["reboots"], j["reboots_agree"]) << bug << "\n" << r.out;
        std::set<std::pair<uint64_t, uint64_t>> host_broken, reboot_broken;
        for (auto const& v : j["violation_list"]) {
            auto at = std::make_pair(v["boundary"].get<uint64_t>(), v["state"].get<uint64_t>());
            auto invariant = v["invariant"].get<std::string>();
            if (v["checker"] == "host" && (invariant == "R1" || invariant == "R2"))
                host_broken.insert(at);
            if (v["checker"] == "reboot")
                reboot_broken.insert(at);
        }
        EXPECT_EQ(host_broken, reboot_broken) << bug;
        if (std::string(bug) != "none") {
            EXPECT_GT(host_broken.size(), 100u) << "the bug must break mount somewhere for this to mean anything";
        }
    }
}

TEST(Campaign, ResumesAfterKillMinusNineWithTheSameResults)
{
    auto reference_dir = fresh_dir("resume-reference");
    // Every distinct state rebooted (about a thousand, in reboot workers): the kill lands in
    // the walk or among the reboots; either way nothing may be lost or repeated.
    std::vector<std::string> const args { "campaign", "--ops", "8", "--profile", "txn", "--json", "--reboot", "all" };
    auto reference = run_ferros(with(args, { "--out", reference_dir }));
    ASSERT_EQ(reference.status, 0) << reference.err;

    auto dir = fresh_dir("resume-killed");
    // Start the same campaign and kill it hard once it has committed some results.
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        std::vector<std::string> command { FERROS_BIN };
        for (auto const& a : with(args, { "--out", dir, "--jobs", "1" }))
            command.push_back(a);
        std::vector<char*> argv;
        for (auto& a : command)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    // The trace is renamed into place when tracing ends and the walk begins.
    for (int i = 0; i < 3000 && !std::filesystem::exists(dir + "/trace.ftr"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the campaign finished before it could be killed; make it longer";

    auto resumed = run_ferros(with(args, { "--out", dir }));
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_EQ(results_of(last_json(resumed)), results_of(last_json(reference)));
    // Every distinct state rebooted exactly once, none twice.
    EXPECT_EQ(last_json(resumed)["reboots"], last_json(resumed)["distinct_states"]);
}

TEST(Campaign, DepthTwoCutsAgainDuringRecovery)
{
    auto r = run_ferros(with(kSmall, { "--reboot", "sample:2", "--depth", "2", "--out", fresh_dir("depth2") }));
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    auto j = last_json(r);
    EXPECT_EQ(j["reboots"], 2);
    EXPECT_GT(j["nested_states"].get<uint64_t>(), 0u) << "a recovery writes (its new anchor): it has crash states";
    EXPECT_EQ(j["violations_by_invariant"]["R8"], 0);
}

TEST(Campaign, ShardsMergeIntoTheWholeCampaign)
{
    auto whole = run_ferros(with(kSmall, { "--reboot", "none", "--out", fresh_dir("shard-whole") }));
    ASSERT_EQ(whole.status, 0) << whole.err;
    std::vector<std::string> dirs;
    for (int i = 0; i < 3; ++i) {
        dirs.push_back(fresh_dir("shard-" + std::to_string(i)));
        auto shard = run_ferros(
            with(kSmall, { "--reboot", "none", "--shard", std::to_string(i) + "/3", "--out", dirs.back() }));
        ASSERT_EQ(shard.status, 0) << shard.err;
        EXPECT_LT(last_json(shard)["boundaries_covered"].get<uint64_t>(),
            last_json(shard)["boundaries_total"].get<uint64_t>());
    }
    auto merged_dir = fresh_dir("shard-merged");
    auto merged = run_ferros({ "campaign", "merge", "--json", "--out", merged_dir, dirs[0], dirs[1], dirs[2] });
    ASSERT_EQ(merged.status, 0) << merged.err;
    auto m = last_json(merged), w = last_json(whole);
    EXPECT_EQ(m["boundaries_covered"], w["boundaries_total"]);
    EXPECT_EQ(m["classes"], w["classes"]);
    EXPECT_EQ(m["distinct_states"], w["distinct_states"]);
    EXPECT_EQ(m["violations"], w["violations"]);

    auto missing = run_ferros({ "campaign", "merge", "--out", fresh_dir("shard-missing"), dirs[0], dirs[1] });
    EXPECT_EQ(missing.status, 2);
    EXPECT_TRUE(missing.contains("2 of 3 shards given")) << missing.err;
}
