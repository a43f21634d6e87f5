// Every seeded bug of the store is found by a campaign with --inject-bug, and `ferros repro`
// on the first violation's token reproduces the same violation 10 times out of 10. The
// campaign is 300 operations of the default profile (ring): it wraps, cleans and relocates
// like the default's 1000, and checks a third of the states, so that six of them fit the
// default test run (the default campaign finds each bug too: docs/campaign.md, "Seeded bugs").
#include "../support/campaign_output.h"
#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>

using ferros::testing::FerrosRun;
using ferros::testing::fresh_dir;
using ferros::testing::last_json;
using ferros::testing::run_ferros;
using ferros::testing::seeded_bugs;

namespace {

class SeededBug : public ::testing::TestWithParam<std::string> { };

} // namespace

TEST(SeededBugs, TheTableListsSevenBugs)
{
    auto bugs = seeded_bugs();
    EXPECT_EQ(bugs.size(), 7u);
    for (auto const& expected : { "no-flush-before-commit", "anchor-before-data", "checksums-not-verified",
             "non-atomic-anchor", "free-before-relocate", "free-space-forgets-wrap", "sync-without-flush" })
        EXPECT_NE(std::find(bugs.begin(), bugs.end(), expected), bugs.end()) << expected;
}

TEST_P(SeededBug, IsFoundAndReproducesTenTimesOutOfTen)
{
    auto const& bug = GetParam();
    auto dir = (std::filesystem::path(FERROS_TEST_SCRATCH) / ("bug-" + bug)).string();
    std::filesystem::remove_all(dir);
    // sample:8 reboots 8 states and up to 8 the host checker flagged: the real guest must say
    // the same of each (host says / reboot says agree), and flag what the host calls
    // unmountable or corrupt. Reboots run the continuation after recovery in the guest
    // (ferros.until=live), so what the host calls not live (R14) the guest may flag too.
    auto campaign = run_ferros({ "campaign", "--ops", "300", "--profile", "ring", "--inject-bug", bug, "--reboot",
                                   "sample:8", "--json", "--out", dir },
        1200);
    ASSERT_EQ(campaign.status, 1) << "a campaign that finds violations exits 1\n" << campaign.err;
    auto j = last_json(campaign);
    ASSERT_GT(j["violations"].get<uint64_t>(), 0u) << bug << " was not found";
    EXPECT_EQ(j["boundaries_covered"], j["boundaries_total"]);
    EXPECT_EQ(j["reboots"], j["reboots_agree"]) << bug;
    std::set<std::pair<uint64_t, uint64_t>> host_broken, host_not_live, reboot_broken;
    for (auto const& v : j["violation_list"]) {
        auto at = std::make_pair(v["boundary"].get<uint64_t>(), v["state"].get<uint64_t>());
        auto const invariant = v["invariant"].get<std::string>();
        if (v["checker"] == "host" && (invariant == "R1" || invariant == "R2"))
            host_broken.insert(at);
        if (v["checker"] == "host" && invariant == "R14")
            host_not_live.insert(at);
        if (v["checker"] == "reboot")
            reboot_broken.insert(at);
    }
    for (auto const& at : reboot_broken)
        EXPECT_TRUE(host_broken.count(at) || host_not_live.count(at))
            << bug << ": the reboot flagged boundary " << at.first << " state " << at.second
            << ", the host checker did not";
    if (!host_broken.empty()) {
        EXPECT_FALSE(reboot_broken.empty()) << bug << ": the host checker finds R1/R2, the rebooted guest nothing";
    }
    // Mounts and reads back correctly: only the continuation, on the host and in the guest, finds it.
    if (bug == "free-space-forgets-wrap") {
        EXPECT_FALSE(reboot_broken.empty()) << bug << ": the guest's continuation found nothing";
    }
    auto const& first = j["violation_list"][0];
    auto token = first["token"].get<std::string>();
    auto invariant = first["invariant"].get<std::string>();
    auto message = first["message"].get<std::string>();
    auto expected = "ferros: repro: violated " + invariant + " (";
    for (int attempt = 0; attempt < 10; ++attempt) {
        auto repro = run_ferros({ "repro", token }, 300);
        EXPECT_EQ(repro.status, 1) << bug << " attempt " << attempt << "\n" << repro.out << repro.err;
        EXPECT_TRUE(repro.contains(expected)) << bug << " attempt " << attempt << "\n" << repro.out;
        EXPECT_TRUE(repro.contains(message)) << bug << " attempt " << attempt << ": expected " << message << "\n"
                                             << repro.out;
        EXPECT_TRUE(repro.contains("a real cut at boundary")) << repro.out;
        EXPECT_TRUE(repro.contains("leaves the same image as the reconstruction")) << repro.out;
    }
}

INSTANTIATE_TEST_SUITE_P(EveryBug, SeededBug,
    ::testing::Values("no-flush-before-commit", "anchor-before-data", "checksums-not-verified", "non-atomic-anchor",
        "free-before-relocate", "free-space-forgets-wrap", "sync-without-flush"),
    [](const ::testing::TestParamInfo<std::string>& info) {
        std::string name;
        for (char c : info.param)
            name += c == '-' ? '_' : c;
        return name;
    });
