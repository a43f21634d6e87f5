// `ferros fuzz` end to end (issue 12), the short bounded run of `./ferros test`: it builds and
// runs the libFuzzer crash fuzzer; the clean store gives no finding; the corpus resumes and
// merges. Every seeded bug is found from the seeds within 30 s. (fuzz_finding_test.cpp: a finding
// reproduces in QEMU.)
#include "../support/campaign_output.h"
#include <filesystem>
#include <gtest/gtest.h>

using ferros::testing::fresh_dir;
using ferros::testing::last_json;
using ferros::testing::run_ferros;
using ferros::testing::seeded_bugs;

namespace {

// The build of the fuzzer (preset fuzzrun) happens in the first test that needs it: minutes
// on a busy machine the first time, hence the long watchdogs.
constexpr double kFuzzWatchdog = 1500;

} // namespace

// With every invariant, R14 included: the store's two R14 findings (docs/fuzzing.md
// "Findings", fuzz/crash/regressions/) are fixed, and a clean run must find nothing.
TEST(FerrosFuzz, TheCleanStoreGivesNoFindingInAShortRun)
{
    auto out = fresh_dir("fuzz-clean");
    auto run = run_ferros({ "fuzz", "--time", "15", "--out", out, "--json", "--quiet" }, kFuzzWatchdog);
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    auto j = last_json(run);
    EXPECT_EQ(j["findings"].size(), 0u);
    EXPECT_GT(j["executions"].get<uint64_t>(), 100u);
    EXPECT_GT(j["coverage"].get<uint64_t>(), 0u);
    EXPECT_GT(j["corpus"].get<uint64_t>(), 0u);
    // A rerun resumes from the corpus; other settings in the same directory are refused.
    auto again = run_ferros({ "fuzz", "--time", "3", "--out", out, "--quiet" }, kFuzzWatchdog);
    EXPECT_EQ(again.status, 0) << again.err;
    auto other = run_ferros({ "fuzz", "--time", "3", "--out", out, "--policy", "prefix" }, kFuzzWatchdog);
    EXPECT_EQ(other.status, 2) << other.err;
    EXPECT_NE(other.err.find("use another --out"), std::string::npos) << other.err;
    // --merge minimises the corpus in place.
    auto merge = run_ferros({ "fuzz", "--merge", "--out", out }, kFuzzWatchdog);
    EXPECT_EQ(merge.status, 0) << merge.err;
    EXPECT_NE(merge.out.find("after the merge"), std::string::npos) << merge.out;
}

// The short, bounded version of issue 12's claim (docs/fuzzing.md has the 60-second table):
// each seeded bug of the store, found from the generator's seeds on one job.
TEST(FerrosFuzz, EverySeededBugIsFoundFromTheSeeds)
{
    auto const bugs = seeded_bugs();
    ASSERT_FALSE(bugs.empty());
    for (auto const& bug : bugs) {
        auto out = fresh_dir("fuzz-bug-" + bug);
        auto run = run_ferros({ "fuzz", "--inject-bug", bug, "--time", "30", "--max-findings", "1", "--no-guest",
                                  "--out", out, "--json", "--quiet" },
            kFuzzWatchdog);
        EXPECT_EQ(run.status, 1) << bug << "\n" << run.out << run.err;
        auto j = last_json(run);
        EXPECT_EQ(j["findings"].size(), 1u) << bug << " was not found in 30 s";
        if (!j["findings"].empty()) {
            EXPECT_TRUE(std::filesystem::exists(j["findings"][0]["workload"].get<std::string>())) << bug;
        }
    }
}
