// `ferros trace` and `ferros cut` through the built command, against the real kernel.
#include "../support/ferros_runner.h"
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>

using ferros::testing::run_ferros;
using ferros::testing::scratch_file;

namespace {

std::string path(const std::string& name) { return (std::filesystem::path(FERROS_TEST_SCRATCH) / name).string(); }

std::vector<char> bytes_of(const std::string& file)
{
    std::ifstream in(file, std::ios::binary);
    return std::vector<char>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

} // namespace

TEST(TraceCommand, SummarisesTheTraceItWrote)
{
    auto ssd = scratch_file("trace-ssd.img", 64 * 1024);
    auto before = bytes_of(ssd);
    auto r = run_ferros({ "trace", "--ssd", ssd, "-o", path("boot.ftr") });
    ASSERT_EQ(r.status, 0) << r.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        r.out, m, std::regex(R"(ferros: trace \S+: (\d+) boundaries, (\d+) stores, (\d+) flushes, (\d+) markers)")))
        << r.out;
    // qboot (~24 k instructions), formatting the blank 64 KiB store, ready, power-off.
    EXPECT_GT(std::stoull(m[1]), 50'000u);
    EXPECT_GT(std::stoull(m[2]), 0u) << "formatting the blank SSD stores into the window";
    EXPECT_GT(std::stoull(m[4]), 5u) << "one marker per boot stage at least";
    EXPECT_EQ(bytes_of(ssd), before) << "the traced run's starting image is left as it was";
}

TEST(TraceCommand, NeedsAnSsdAndAnOutput)
{
    auto r = run_ferros({ "trace", "-o", path("x.ftr") });
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.contains("--ssd is required")) << r.err;
}

TEST(CutCommand, CutsAtExactlyTheBoundaryAsked)
{
    // Inside the kernel's formatting of the blank SSD (kernel-entry comes at ~24 k).
    auto r = run_ferros({ "cut", "--at", "60000", "-o", path("cut.img") });
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.contains("ferros: cut at boundary 60000 (policy cache:4096, state 0)")) << r.out;
    EXPECT_TRUE(std::filesystem::exists(path("cut.img")));

    r = run_ferros({ "cut", "--at", "0", "-o", path("cut0.img") });
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.contains("ferros: cut at boundary 0 ")) << r.out;
}

TEST(CutCommand, CutsRightAfterAMarker)
{
    auto r = run_ferros({ "cut", "--at-marker", "stage:ready", "-o", path("ready.img") });
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.contains("ferros: cut at boundary ")) << r.out;
}

TEST(CutCommand, ACutBeyondTheRunSaysSo)
{
    auto r = run_ferros({ "cut", "--at", "999999999999", "-o", path("late.img") });
    EXPECT_EQ(r.status, 4) << r.err;
    EXPECT_TRUE(r.contains("before the cut;")) << r.err;
    EXPECT_TRUE(r.contains("holds the power-off image")) << r.err;
}

TEST(CutCommand, BadRequestsAreRefusedBeforeQemuStarts)
{
    auto r = run_ferros({ "cut", "--at", "5", "--at-marker", "stage:ready", "-o", path("x.img") });
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.contains("give exactly one of --at N and --at-marker KIND:PAYLOAD")) << r.err;
    r = run_ferros({ "cut", "-o", path("x.img") });
    EXPECT_EQ(r.status, 2);
    r = run_ferros({ "cut", "--at-marker", "stage:lunch", "-o", path("x.img") });
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.contains("--at-marker stage:lunch:")) << r.err;
    r = run_ferros({ "cut", "--at", "5", "--policy", "cache:3", "-o", path("x.img") });
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(r.contains("ferros: error: unknown policy 'cache:3'")) << r.err;
}
