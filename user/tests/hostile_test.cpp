// The hostile program (user/hostile) against the real kernel: every system call with every
// class of bad argument gets its documented error, every fault kills only the faulting process
// (a console line and a ProcessFault marker each), the bystander beside it and the kernel
// finish normally, and two runs print the same bytes.

#include "../../tests/support/ferros_runner.h"
#include <gtest/gtest.h>
#include <regex>

using ferros::testing::FerrosRun;
using ferros::testing::run_ferros;

namespace {

FerrosRun run_hostile()
{
    return run_ferros({ "run", "--workload", FERROS_HOSTILE_BUNDLE, "--until", "poweroff" }, 300);
}

size_t count(const std::string& text, const std::string& pattern)
{
    std::regex re(pattern);
    return static_cast<size_t>(
        std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

} // namespace

TEST(Hostile, EveryBadCallIsRefusedAndEveryFaultKillsOnlyItsProcess)
{
    auto r = run_hostile();
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_TRUE(r.contains("ferros: run ended: poweroff")) << r.out;
    EXPECT_FALSE(r.contains("FAIL")) << r.out;
    // The faulter's `out` to the exit port in user mode faults and is not a power-off: the
    // plugin still sees the kernel's last stages (their boundaries are in the timeline).
    EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(workload-done +[0-9]+ +[0-9]+ +[0-9]+ insns)"))) << r.out;
    EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(poweroff +[0-9]+ +[0-9]+ +[0-9]+ insns)"))) << r.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(ferros: hostile: checks=([0-9]+) failed=0 faults=([0-9]+))")))
        << r.out;
    EXPECT_GE(std::stoul(m[1]), 60u);
    size_t const faults = std::stoul(m[2]);
    EXPECT_EQ(faults, 14u);
    // Each fault: one kill line of the faulter, and nothing else was killed.
    EXPECT_EQ(count(r.out, R"(ferros: process [0-9]+ \(faulter\) killed: )"), faults) << r.out;
    EXPECT_EQ(count(r.out, R"(ferros: process [0-9]+ \([a-z-]+\) killed: )"), faults) << r.out;
    for (auto const* kind : { "#UD (vector 6)", "#DE (vector 0)", "#GP (vector 13)", "#PF (vector 14)" })
        EXPECT_TRUE(r.contains(std::string("(faulter) killed: ") + kind)) << kind << "\n" << r.out;
    EXPECT_TRUE(r.contains("ferros: bystander: done rounds=20 sum=")) << r.out;
    EXPECT_FALSE(r.contains("panic")) << r.out;
    EXPECT_FALSE(r.contains("blocked forever")) << r.out;
}

TEST(Hostile, TwoRunsAreIdentical)
{
    auto first = run_hostile();
    auto second = run_hostile();
    ASSERT_EQ(first.status, 0) << first.out << first.err;
    // Everything the guest printed, virtual times included, byte for byte.
    EXPECT_EQ(first.out, second.out);
}
