// Bad input to `ferros run` gets one clear line and a non-zero status, before QEMU starts.
#include "../support/ferros_runner.h"
#include <filesystem>
#include <gtest/gtest.h>

using ferros::testing::run_ferros;
using ferros::testing::scratch_file;

namespace {
constexpr int kUsage = 2;
}

TEST(CliBadInput, UnknownFlag)
{
    auto r = run_ferros({ "run", "--frobnicate" });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("ferros: error: The following argument was not expected: --frobnicate")) << r.err;
}

TEST(CliBadInput, UnknownSubcommandAndNone)
{
    auto r = run_ferros({ "launch" });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("ferros: error:")) << r.err;
    r = run_ferros({});
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("ferros: error: A subcommand is required")) << r.err;
}

TEST(CliBadInput, BadUntilValue)
{
    auto r = run_ferros({ "run", "--until", "lunch" });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("ferros: error: --until: lunch not in {ready,poweroff,live}")) << r.err;
}

TEST(CliBadInput, MissingKernel)
{
    auto r = run_ferros({ "run", "--kernel", "/nonexistent/ferros-kernel.elf" });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("ferros: error: kernel '/nonexistent/ferros-kernel.elf' does not exist")) << r.err;
}

TEST(CliBadInput, UnreadableWorkload)
{
    auto kernel = scratch_file("fake-kernel.elf", 64);
    auto r = run_ferros({ "run", "--kernel", kernel, "--workload", "/nonexistent/workload.bin" });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("ferros: error: workload '/nonexistent/workload.bin' does not exist")) << r.err;

    auto dir = std::filesystem::path(FERROS_TEST_SCRATCH) / "a-directory";
    std::filesystem::create_directories(dir);
    r = run_ferros({ "run", "--kernel", kernel, "--workload", dir.string() });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("is not a regular file")) << r.err;
}

TEST(CliBadInput, SsdImageOfTheWrongSize)
{
    auto kernel = scratch_file("fake-kernel.elf", 64);
    auto odd = scratch_file("odd.img", 1000);
    auto r = run_ferros({ "run", "--kernel", kernel, "--ssd", odd });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("is 1000 bytes; it must be a non-zero multiple of 4096 bytes")) << r.err;

    auto empty = scratch_file("empty.img", 0);
    r = run_ferros({ "run", "--kernel", kernel, "--ssd", empty });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("is 0 bytes")) << r.err;

    auto huge = scratch_file("huge.img", 80u << 20);
    r = run_ferros({ "run", "--kernel", kernel, "--ssd", huge });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("at most 67108864 bytes")) << r.err;
    std::filesystem::remove(huge);

    r = run_ferros({ "run", "--kernel", kernel, "--ssd", "/nonexistent/ssd.img" });
    EXPECT_EQ(r.status, kUsage);
    EXPECT_TRUE(r.contains("SSD image '/nonexistent/ssd.img' does not exist")) << r.err;
}

TEST(CliBadInput, HelpIsAvailableOnEverySubcommand)
{
    for (auto const* sub : { "run", "test", "bench" }) {
        auto r = run_ferros({ sub, "--help" });
        EXPECT_EQ(r.status, 0) << sub;
        EXPECT_TRUE(r.contains("Usage:")) << sub;
    }
}
