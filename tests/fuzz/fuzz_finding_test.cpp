// `ferros fuzz` end to end (issue 12): it finds an injected bug from the generator's seeds,
// writes the finding as a workload file with the campaign command and the repro token, and both
// reproduce the violation in the real guest.
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
    auto const campaign_json = last_json(campaign);
    for (auto const& v : campaign_json["violation_list"])
        same |= v["invariant"] == invariant;
    EXPECT_TRUE(same) << "the campaign did not find " << invariant;

    // And its token: ferros repro rebuilds the state and names a violated invariant.
    auto repro = run_ferros({ "repro", token, "--workload", workload }, 600);
    EXPECT_EQ(repro.status, 1) << repro.out << repro.err;
    EXPECT_NE(repro.out.find("ferros: repro: violated R"), std::string::npos) << repro.out;
}
