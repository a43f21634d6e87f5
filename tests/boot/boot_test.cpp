// Boots the real kernel in QEMU through `ferros run`.
#include "../support/ferros_runner.h"
#include <gtest/gtest.h>
#include <regex>

using ferros::testing::FerrosRun;
using ferros::testing::run_ferros;

namespace {

constexpr int kGuestFault = 3;
constexpr int kNotReached = 4;
constexpr int kUsage = 2;

// The row of one stage in the printed timeline: name, virtual ns, instructions.
struct Row {
    uint64_t virtual_ns { 0 };
    std::string instructions;
};

std::optional<Row> timeline_row(const FerrosRun& run, const std::string& stage)
{
    std::regex pattern("\n" + stage + R"( +([0-9]+) +([0-9]+|-) )");
    std::smatch m;
    if (!std::regex_search(run.out, m, pattern))
        return std::nullopt;
    return Row { std::stoull(m[1]), m[2] };
}

} // namespace

TEST(Boot, ReachesReadyThroughEveryStage)
{
    auto r = run_ferros({ "run", "--until", "ready" });
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_TRUE(r.contains("ferros: run ended: ready"));
    for (auto const* stage : { "firmware-handoff", "kernel-entry", "memory-up", "interrupts-up", "ssd-found", "ready" })
        EXPECT_TRUE(timeline_row(r, stage).has_value()) << "missing stage " << stage << "\n" << r.out;
    // Stages appear in the order a boot passes them, with time moving forward.
    EXPECT_LT(timeline_row(r, "kernel-entry")->virtual_ns, timeline_row(r, "ready")->virtual_ns);
}

TEST(Boot, TwoBootsAreIdentical)
{
    auto first = run_ferros({ "run", "--until", "ready" });
    auto second = run_ferros({ "run", "--until", "ready" });
    ASSERT_EQ(first.status, 0) << first.err;
    ASSERT_EQ(second.status, 0) << second.err;
    // Byte-identical console and timeline, virtual timestamps and instruction counts included.
    EXPECT_EQ(first.out, second.out);
    auto ready = timeline_row(first, "ready");
    ASSERT_TRUE(ready.has_value());
    EXPECT_EQ(ready->instructions, timeline_row(second, "ready")->instructions);
}

TEST(Boot, KernelEntryToReadyIsUnderOneMillionInstructions)
{
    // A deterministic count, not a timing: the same kernel gives the same number on any host.
    auto r = run_ferros({ "run", "--until", "ready" });
    ASSERT_EQ(r.status, 0) << r.err;
    auto entry = timeline_row(r, "kernel-entry");
    auto ready = timeline_row(r, "ready");
    ASSERT_TRUE(entry && ready);
    EXPECT_LT(ready->virtual_ns - entry->virtual_ns, 1'000'000u) << r.out;
}

TEST(Boot, PoweroffIsReached)
{
    auto r = run_ferros({ "run", "--until", "poweroff" });
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_TRUE(timeline_row(r, "poweroff").has_value()) << r.out;
    EXPECT_TRUE(r.contains("ferros: run ended: poweroff"));
}

// R14 in the guest: past ready, the store server runs the continuation after recovery and
// checks what it left; the kernel exits Ready only if it passed.
TEST(Boot, LiveRunsTheContinuationPastReadyAndTurnsTheRing)
{
    auto r = run_ferros({ "run", "--until", "live" });
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(ferros: live ok commits=([0-9]+) .* ring_bytes=([0-9]+) )")))
        << r.out;
    EXPECT_GT(std::stoull(m[1]), 0u);
    // The default SSD is 256 KiB: the continuation's head goes at least once around the ring.
    EXPECT_GE(std::stoull(m[2]), 256u * 1024 * 7 / 8) << r.out;
    EXPECT_TRUE(r.contains("ferros: run ended: ready"));
}

TEST(Boot, LiveFailsOnAStoreThatCannotCommitAfterTheWrap)
{
    // Mounts and self-checks correctly; only the next wrap shows it (the seeded bug R14 is for).
    constexpr int kSelfCheckFailed = 5;
    auto r = run_ferros({ "run", "--until", "live", "--append", "ferros.bug=free-space-forgets-wrap" });
    EXPECT_EQ(r.status, kSelfCheckFailed) << r.out << r.err;
    EXPECT_TRUE(r.contains("ferros: self-check ok")) << r.out;
    EXPECT_TRUE(r.contains("ferros: error: live: the continuation after recovery failed")) << r.out;
    EXPECT_TRUE(r.contains("ferros: run ended: live-failed")) << r.out;
}

TEST(Boot, DeliberateFaultsAreReportedWithTheFailureCode)
{
    struct Case {
        const char* flag;
        const char* mnemonic;
    };
    for (auto c : { Case { "pf", "#PF" }, Case { "ud", "#UD" }, Case { "gp", "#GP" }, Case { "de", "#DE" } }) {
        auto r = run_ferros({ "run", "--fault", c.flag });
        EXPECT_EQ(r.status, kGuestFault) << c.flag << "\n" << r.out << r.err;
        EXPECT_TRUE(r.contains(std::string("ferros: panic: exception ") + c.mnemonic)) << r.out;
        EXPECT_TRUE(r.contains("rip=")) << r.out;
        EXPECT_TRUE(r.contains("ferros: error: the guest faulted: ferros: panic: exception")) << r.err;
        EXPECT_TRUE(r.contains("ferros: run ended: fault"));
    }
}

TEST(Boot, KernelRefusesAnUnknownCommandLineToken)
{
    auto r = run_ferros({ "run", "--append", "ferros.bogus=1" });
    EXPECT_EQ(r.status, kUsage) << r.out << r.err;
    EXPECT_TRUE(r.contains("bad command line: ferros.bogus=1")) << r.out << r.err;
}

TEST(Boot, InstructionLimitEndsTheRunBeforeReady)
{
    auto r = run_ferros({ "run", "--until", "ready", "--max-insns", "20000" });
    EXPECT_EQ(r.status, kNotReached) << r.out << r.err;
    EXPECT_TRUE(r.contains("ferros: run ended: max-insns")) << r.out;
    EXPECT_FALSE(timeline_row(r, "ready").has_value());
}
