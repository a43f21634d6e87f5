// Longer campaigns, outside the default test run (label slow; `./ferros test --slow`).
#include "../support/campaign_output.h"
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using ferros::testing::FerrosRun;
using ferros::testing::fresh_dir;
using ferros::testing::last_json;
using ferros::testing::run_ferros;

namespace {

void expect_clean(const FerrosRun& r)
{
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    auto j = last_json(r);
    EXPECT_EQ(j["boundaries_covered"], j["boundaries_total"]);
    EXPECT_EQ(j["states_checked"], j["distinct_states"]);
    EXPECT_EQ(j["violations"], 0) << r.out;
    EXPECT_EQ(j["reboots"], j["reboots_agree"]) << r.out;
}

} // namespace

TEST(SlowCampaign, TheDefaultCampaignAtDepthTwoWithSixteenReboots)
{
    auto r = run_ferros(
        { "campaign", "--json", "--depth", "2", "--reboot", "sample:16", "--out", fresh_dir("slow-depth2") }, 3600);
    expect_clean(r);
    EXPECT_GT(last_json(r)["nested_states"].get<uint64_t>(), 0u);
}

TEST(SlowCampaign, MixedValueSizesRotateTheRingWithoutAViolation)
{
    expect_clean(run_ferros({ "campaign", "--json", "--ops", "200", "--profile", "mixed", "--reboot", "sample:8",
                                "--out", fresh_dir("slow-mixed") },
        3600));
}

TEST(SlowCampaign, TornWritesAtEightByteGranularity)
{
    expect_clean(run_ferros({ "campaign", "--json", "--ops", "60", "--policy", "torn:64", "--reboot", "sample:4",
                                "--out", fresh_dir("slow-torn") },
        3600));
}
