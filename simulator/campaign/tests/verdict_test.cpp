// reboot_verdict: the one place that turns how a rebooted guest ended into R1, R2 or R9.

#include <ferros/campaign/verdict.h>
#include <ferros/qemu/boot.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::campaign;

namespace {

// A boot that passed kernel-entry at boundary `entry` and, if `ready` is set, ready there; as
// the console and the plugin's events report them.
qemu::BootResult boot(qemu::BootOutcome outcome, uint64_t entry, std::optional<uint64_t> ready)
{
    qemu::BootResult result;
    result.outcome = outcome;
    EXPECT_TRUE(result.timeline.take_console_line("ferros: stage kernel-entry vt=1000"));
    EXPECT_TRUE(result.timeline.take_console_line("ferros: stage store-mounted vt=2000"));
    result.timeline.attach_boundary("kernel-entry", entry);
    result.timeline.attach_boundary("store-mounted", entry + 10);
    if (ready) {
        EXPECT_TRUE(result.timeline.take_console_line("ferros: stage ready vt=3000"));
        result.timeline.attach_boundary("ready", *ready);
    }
    return result;
}

constexpr uint64_t kBudget = 2'000'000;
constexpr uint64_t kEntry = 6'000'000; // firmware runs first: entry is far from boundary 0

} // namespace

TEST(RebootVerdict, ReadyWithinTheBudgetPasses)
{
    EXPECT_FALSE(reboot_verdict(boot(qemu::BootOutcome::Ready, kEntry, kEntry + 31'000), kBudget).has_value());
    // Exactly the budget is within it: it is measured from kernel-entry, not from boundary 0.
    EXPECT_FALSE(reboot_verdict(boot(qemu::BootOutcome::Ready, kEntry, kEntry + kBudget), kBudget).has_value());
}

TEST(RebootVerdict, ReadyTooLateIsR9)
{
    auto verdict = reboot_verdict(boot(qemu::BootOutcome::Ready, kEntry, kEntry + kBudget + 1), kBudget);
    ASSERT_TRUE(verdict.has_value());
    EXPECT_EQ(verdict->invariant, check::Invariant::R9);
    EXPECT_NE(verdict->message.find("2000001"), std::string::npos) << verdict->message;
    EXPECT_NE(verdict->message.find("2000000"), std::string::npos) << verdict->message;

    // A smaller budget turns the same boot into R9.
    auto fast = boot(qemu::BootOutcome::Ready, kEntry, kEntry + 31'000);
    EXPECT_FALSE(reboot_verdict(fast, 31'000).has_value());
    ASSERT_TRUE(reboot_verdict(fast, 30'999).has_value());
    EXPECT_EQ(reboot_verdict(fast, 30'999)->invariant, check::Invariant::R9);
}

TEST(RebootVerdict, AFailedSelfCheckIsR2)
{
    auto result = boot(qemu::BootOutcome::SelfCheckFailed, kEntry, std::nullopt);
    result.guest_error = "ferros: error: self-check: record at 0x2000 fails its checksum";
    auto verdict = reboot_verdict(result, kBudget);
    ASSERT_TRUE(verdict.has_value());
    EXPECT_EQ(verdict->invariant, check::Invariant::R2);
    EXPECT_NE(verdict->message.find("self-check"), std::string::npos) << verdict->message;
    EXPECT_NE(verdict->message.find("0x2000"), std::string::npos) << "the guest's report is kept";
}

TEST(RebootVerdict, NotReachingReadyIsR1)
{
    for (auto outcome : { qemu::BootOutcome::Fault, qemu::BootOutcome::BadCommandLine, qemu::BootOutcome::Timeout,
             qemu::BootOutcome::MaxInsns, qemu::BootOutcome::QemuFailed, qemu::BootOutcome::Poweroff }) {
        auto verdict = reboot_verdict(boot(outcome, kEntry, std::nullopt), kBudget);
        ASSERT_TRUE(verdict.has_value()) << qemu::boot_outcome_name(outcome);
        EXPECT_EQ(verdict->invariant, check::Invariant::R1) << qemu::boot_outcome_name(outcome);
        EXPECT_NE(verdict->message.find(qemu::boot_outcome_name(outcome)), std::string::npos) << verdict->message;
    }
    // A fault is R1 even when it came after ready had been announced: the guest did not stop
    // at ready as the reboot asked.
    auto late_fault = boot(qemu::BootOutcome::Fault, kEntry, kEntry + 1000);
    late_fault.guest_error = "ferros: panic: page fault at 0x0";
    auto verdict = reboot_verdict(late_fault, kBudget);
    ASSERT_TRUE(verdict.has_value());
    EXPECT_EQ(verdict->invariant, check::Invariant::R1);
    EXPECT_NE(verdict->message.find("page fault"), std::string::npos) << verdict->message;
}
