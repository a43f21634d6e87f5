// Bad input to `ferros campaign` and `ferros repro`: one clear line, a non-zero status.
#include "../support/campaign_output.h"
#include <filesystem>
#include <gtest/gtest.h>

using ferros::testing::fresh_dir;
using ferros::testing::last_json;
using ferros::testing::run_ferros;
using ferros::testing::scratch_file;

namespace {

constexpr int kUsage = 2;

} // namespace

TEST(CampaignBadInput, UnknownPolicy)
{
    auto r = run_ferros({ "campaign", "--policy", "lossy:9", "--out", fresh_dir("bad-policy") });
    EXPECT_EQ(r.status, kUsage) << r.err;
    EXPECT_TRUE(r.contains("ferros: error: unknown policy 'lossy:9'")) << r.err;
}

TEST(CampaignBadInput, MalformedWorkload)
{
    auto junk = scratch_file("junk-workload.bin", 100);
    auto r = run_ferros({ "campaign", "--workload", junk, "--out", fresh_dir("bad-workload") });
    EXPECT_EQ(r.status, kUsage) << r.err;
    EXPECT_TRUE(r.contains("is malformed: workload magic is not FRWL")) << r.err;
}

TEST(CampaignBadInput, UnknownBugShardAndRebootSpec)
{
    auto r = run_ferros({ "campaign", "--inject-bug", "no-such-bug", "--out", fresh_dir("bad-bug") });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("unknown seeded bug 'no-such-bug'")) << r.err;
    r = run_ferros({ "campaign", "--shard", "3/2", "--out", fresh_dir("bad-shard") });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("--shard 3/2: expected I/N with 0 <= I < N")) << r.err;
    r = run_ferros({ "campaign", "--reboot", "some", "--out", fresh_dir("bad-reboot") });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("--reboot some: expected all, none or sample:K")) << r.err;
}

TEST(CampaignBadInput, AnOutputDirectoryOfAnotherCampaign)
{
    auto dir = fresh_dir("other-campaign");
    auto first = run_ferros({ "campaign", "--ops", "4", "--reboot", "none", "--out", dir });
    ASSERT_EQ(first.status, 0) << first.out << first.err;
    auto r = run_ferros({ "campaign", "--ops", "4", "--policy", "prefix", "--reboot", "none", "--out", dir });
    EXPECT_EQ(r.status, kUsage) << r.err;
    EXPECT_TRUE(r.contains("holds a different campaign (policy: cache:512:4 there, prefix here)")) << r.err;

    auto stranger = fresh_dir("not-a-campaign");
    std::filesystem::create_directories(stranger);
    scratch_file("not-a-campaign/notes.txt", 10);
    r = run_ferros({ "campaign", "--ops", "4", "--out", stranger });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("is not empty and holds no campaign")) << r.err;
}

TEST(ReproBadInput, TokensThatAreNotWhole)
{
    auto r = run_ferros({ "repro", "hello" });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("ferros: error: bad repro token: not a ferros repro token")) << r.err;
    std::string token = "ferros1.k0000000000000001.w0000000000000002.g1:24:small.i10000.cache:512:4.s1.b5.x0.none.r-."
                        "c00000000";
    r = run_ferros({ "repro", token });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("checksum does not match")) << r.err;
}
