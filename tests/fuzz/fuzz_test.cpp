// `ferros fuzz` end to end (issue 12): it builds and runs the libFuzzer crash fuzzer, finds an
// injected bug from the generator's seeds, writes the finding as a workload file with the
// campaign command and the repro token, and both reproduce the violation in the real guest.
// The clean store gives no finding in a short run.
#include "../support/campaign_output.h"
#include <filesystem>
#include <gtest/gtest.h>

using ferros::testing::fresh_dir;
using ferros::testing::last_json;
using ferros::testing::run_ferros;

namespace {

// The build of the fuzzer (preset fuzzrun) happens in the first test that needs it: minutes
// on a busy machine the first time, hence the long watchdogs.
constexpr double kFuzzWatchdog = 1500;

} // namespace

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

TEST(FerrosFuzz, AFindingReproducesInQemuByItsCampaignAndToken)
{
    std::string const bug = "non-atomic-anchor";
    auto out = fresh_dir("fuzz-finding");
    auto run = run_ferros(
        { "fuzz", "--inject-bug", bug, "--time", "120", "--max-findings", "1", "--out", out, "--json", "--quiet" },
        kFuzzWatchdog);
    ASSERT_EQ(run.status, 1) << "findings exit 1\n" << run.out << run.err;
    auto j = last_json(run);
    ASSERT_GE(j["findings"].size(), 1u) << run.out;
    auto const& f = j["findings"][0];
    auto const workload = f["workload"].get<std::string>();
    auto const invariant = f["invariant"].get<std::string>();
    EXPECT_TRUE(std::filesystem::exists(workload));
    EXPECT_TRUE(f["reproduced_in_guest"].get<bool>()) << f.dump(2);
    auto const token = f["token"].get<std::string>();
    ASSERT_FALSE(token.empty()) << f.dump(2);

    // The finding is a real workload file.
    auto show = run_ferros({ "workload", "show", workload });
    EXPECT_EQ(show.status, 0) << show.err;
    EXPECT_NE(show.out.find("# ferros workload v1"), std::string::npos);

    // The campaign command it prints finds a violation of the same invariant in the guest.
    auto campaign_out = fresh_dir("fuzz-finding-campaign");
    auto campaign = run_ferros({ "campaign", "--workload", workload, "--policy", j["policy"].get<std::string>(),
                                   "--inject-bug", bug, "--out", campaign_out, "--reboot", "none", "--json" },
        900);
    ASSERT_EQ(campaign.status, 1) << campaign.err;
    bool same = false;
    for (auto const& v : last_json(campaign)["violation_list"])
        same |= v["invariant"] == invariant;
    EXPECT_TRUE(same) << "the campaign did not find " << invariant;

    // And its token: ferros repro rebuilds the state and names a violated invariant.
    auto repro = run_ferros({ "repro", token, "--workload", workload }, 600);
    EXPECT_EQ(repro.status, 1) << repro.out << repro.err;
    EXPECT_NE(repro.out.find("ferros: repro: violated R"), std::string::npos) << repro.out;
}
