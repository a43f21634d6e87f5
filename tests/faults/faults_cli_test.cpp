// `ferros faults` end to end (label qemu, small: a 30-op workload, a few points): the verdicts of
// kill and hang injections, resuming after kill -9 without losing or repeating a run, shards
// that add up to the whole, a seeded server bug found and replayed from its token, and bad
// input refused.

#include "../support/campaign_output.h"
#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ferros::testing;

namespace {

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more)
{
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

// Kill and hang stop the server at once (fail-stop): each one must be contained.
const std::vector<std::string> kFailStop { "faults", "--ops", "30", "--every", "15000", "--kind", "kill", "--kind",
    "hang", "--json" };

nlohmann::json counts(const nlohmann::json& j)
{
    nlohmann::json out;
    for (auto const* key : { "store_instructions", "points", "runs", "fired", "activated", "restarted", "gave_up",
             "kernel_crashes", "violations", "failed_ops", "failures" })
        out[key] = j[key];
    return out;
}

} // namespace

TEST(FerrosFaults, KillAndHangAreContainedResumeAfterKillNineAndShardsAddUp)
{
    auto reference = run_ferros(with(kFailStop, { "--out", fresh_dir("faults-reference") }), 300);
    ASSERT_EQ(reference.status, 0) << reference.out << reference.err;
    auto const j = last_json(reference);
    uint64_t const points = j["points"];
    EXPECT_EQ(points, 2 * (j["store_instructions"].get<uint64_t>() / 15000));
    EXPECT_EQ(j["runs"], points);
    EXPECT_EQ(j["complete"], true);
    EXPECT_EQ(j["fired"], points);
    EXPECT_EQ(j["activated"], points);
    EXPECT_EQ(j["restarted"], points) << "every killed or hung server is restarted";
    EXPECT_EQ(j["gave_up"], 0);
    EXPECT_EQ(j["kernel_crashes"], 0);
    EXPECT_EQ(j["violations"], 0);
    EXPECT_NE(reference.err.find("ferros.inject=store,15000,hang: restarted, ok"), std::string::npos) << reference.err;

    // The same campaign, killed hard once it has recorded some runs, then resumed.
    auto dir = fresh_dir("faults-killed");
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        std::vector<std::string> command { FERROS_BIN };
        for (auto const& a : with(kFailStop, { "--out", dir }))
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
    for (int i = 0; i < 3000 && !std::filesystem::exists(dir + "/faults.db"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the campaign finished before it could be killed; make it longer";
    auto resumed = run_ferros(with(kFailStop, { "--out", dir }), 300);
    ASSERT_EQ(resumed.status, 0) << resumed.err;
    EXPECT_EQ(counts(last_json(resumed)), counts(j));
    EXPECT_EQ(resumed.err.find(", 0 to go"), std::string::npos) << "the killed campaign had finished: " << resumed.err;
    EXPECT_EQ(resumed.err.find(", " + std::to_string(points) + " to go"), std::string::npos)
        << "the killed campaign recorded no run: " << resumed.err;

    // Two shards: every point once.
    uint64_t runs = 0, restarted = 0;
    for (int i = 0; i < 2; ++i) {
        auto shard = run_ferros(
            with(kFailStop,
                { "--shard", std::to_string(i) + "/2", "--out", fresh_dir("faults-shard" + std::to_string(i)) }),
            300);
        ASSERT_EQ(shard.status, 0) << shard.err;
        runs += last_json(shard)["runs"].get<uint64_t>();
        restarted += last_json(shard)["restarted"].get<uint64_t>();
        EXPECT_LT(last_json(shard)["runs"].get<uint64_t>(), points);
    }
    EXPECT_EQ(runs, points);
    EXPECT_EQ(restarted, points);
}

TEST(FerrosFaults, FindsAServerThatAcknowledgesASyncWithoutTheFlushAndReplaysIt)
{
    auto r = run_ferros({ "faults", "--ops", "30", "--every", "40000", "--kind", "kill", "--inject-bug",
                            "sync-without-flush", "--json", "--out", fresh_dir("faults-bug") },
        300);
    ASSERT_EQ(r.status, 1) << "a campaign that finds violations exits 1\n" << r.out << r.err;
    auto const j = last_json(r);
    EXPECT_NE(j["baseline_violations"].get<std::string>().find("R3"), std::string::npos) << r.out;
    ASSERT_GT(j["failures"].get<uint64_t>(), 0u) << r.out;
    EXPECT_EQ(j["kernel_crashes"], 0);
    auto const token = j["tokens"][0].get<std::string>();
    auto replay = run_ferros({ "faults", "--repro", token }, 120);
    EXPECT_EQ(replay.status, 1) << replay.out << replay.err;
    EXPECT_NE(replay.out.find("violations=R3"), std::string::npos) << replay.out;
    EXPECT_NE(replay.out.find("killed: injected kill"), std::string::npos) << replay.out;
}

TEST(FerrosFaults, RefusesBadInput)
{
    EXPECT_EQ(run_ferros({ "faults", "--every", "0", "--out", fresh_dir("faults-bad") }).status, 2);
    EXPECT_EQ(run_ferros({ "faults", "--kind", "melt", "--out", fresh_dir("faults-bad") }).status, 2);
    auto bad_token = run_ferros({ "faults", "--repro", "ferrosf1.kill.a0.nonsense.f00000000" });
    EXPECT_EQ(bad_token.status, 2);
    EXPECT_NE(bad_token.err.find("bad fault token"), std::string::npos) << bad_token.err;
}
