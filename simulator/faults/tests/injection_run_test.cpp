// ferros.inject against the real kernel (label qemu): each fault kind, injected into the store
// server at a chosen user-mode instruction of a small workload, fires, takes effect, the
// supervisor restarts the server within its budget, the kernel powers off, and R1-R6 hold on
// the durable image for what the client had acknowledged. And the same N and kind give the
// same run.

#include <ferros/campaign/plan.h>
#include <ferros/faults/injection_run.h>
#include <filesystem>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::faults;

namespace {

campaign::Plan small_plan(const std::string& name)
{
    campaign::CampaignOptions options;
    options.seed = 7;
    options.ops = 40;
    options.out = std::string(FERROS_TEST_TMP) + "/" + name;
    options.timeout = 120;
    std::filesystem::remove_all(options.out);
    auto plan = campaign::make_plan(options);
    EXPECT_FALSE(plan.is_error()) << (plan.is_error() ? plan.error().message() : "");
    return plan.release_value();
}

struct Baseline {
    uint64_t instructions { 0 };
    uint64_t view { 0 };
};

Baseline baseline(const campaign::Plan& plan)
{
    auto run = run_injection(plan, std::nullopt, 0);
    EXPECT_FALSE(run.is_error()) << (run.is_error() ? run.error().message() : "");
    auto const& v = run.value();
    EXPECT_FALSE(v.fired);
    EXPECT_TRUE(v.kernel_survived) << v.outcome;
    EXPECT_EQ(v.restarts, 0u);
    EXPECT_TRUE(v.violations.empty()) << v.message;
    return Baseline { v.store_instructions, v.client_view };
}

void expect_restarted_and_intact(const InjectionVerdict& v, const std::string& what)
{
    EXPECT_TRUE(v.fired) << what;
    EXPECT_TRUE(v.activated) << what;
    EXPECT_TRUE(v.server_crashed) << what;
    EXPECT_TRUE(v.kernel_survived) << what << ": " << v.outcome << " " << v.message;
    EXPECT_GE(v.restarts, 1u) << what;
    EXPECT_FALSE(v.gave_up) << what;
    EXPECT_TRUE(v.violations.empty()) << what << ": " << v.message;
}

} // namespace

TEST(FaultInjection, EachKindFiresIsContainedAndTheAcknowledgedDataSurvives)
{
    auto plan = small_plan("inject-kinds");
    auto const base = baseline(plan);
    // The store server's whole run: recovery at boot and every request of the workload.
    ASSERT_GT(base.instructions, 10'000u);
    uint64_t const middle = base.instructions / 2;

    std::vector<std::string> console;
    auto kill = run_injection(plan, InjectionPoint { middle, FaultKind::Kill, 0 }, base.view, &console);
    ASSERT_FALSE(kill.is_error()) << kill.error().message();
    expect_restarted_and_intact(kill.value(), "kill");
    auto joined = [&] {
        std::string all;
        for (auto const& line : console)
            all += line + "\n";
        return all;
    };
    EXPECT_NE(joined().find("killed: injected kill (vector 1)"), std::string::npos) << joined();
    EXPECT_NE(joined().find("ferros: supervisor: store ended (status 257); restart 1 of 3"), std::string::npos);

    // Bit 46 of rsp (register 7): the stack pointer leaves the mapped stack, the next push or
    // pop faults.
    auto flip = run_injection(plan, InjectionPoint { middle, FaultKind::Flip, 7 * 64 + 46 }, base.view, &console);
    ASSERT_FALSE(flip.is_error()) << flip.error().message();
    expect_restarted_and_intact(flip.value(), "flip");
    EXPECT_NE(joined().find("flipped bit 46 of rsp"), std::string::npos) << joined();

    // A hung server: the watchdog finds it stuck once nothing else can run, and it is restarted.
    auto hang = run_injection(plan, InjectionPoint { middle, FaultKind::Hang, 0 }, base.view, &console);
    ASSERT_FALSE(hang.is_error()) << hang.error().message();
    expect_restarted_and_intact(hang.value(), "hang");
    EXPECT_NE(joined().find("killed: stuck, found by the watchdog"), std::string::npos) << joined();
    EXPECT_NE(joined().find("ferros: supervisor: store ended (status 512); restart 1 of 3"), std::string::npos);

    // The same N and kind give the same run.
    std::vector<std::string> again;
    auto hang_again = run_injection(plan, InjectionPoint { middle, FaultKind::Hang, 0 }, base.view, &again);
    ASSERT_FALSE(hang_again.is_error());
    EXPECT_EQ(again, console);
}

TEST(FaultInjection, ACorruptedStackByteIsContainedAndSomeCrashTheServer)
{
    // Whether a flipped stack byte matters depends on what the byte held; over points spread
    // through the server's run, every run keeps the kernel up and the acknowledged data intact,
    // and some flips (of a return address or a saved pointer's high bit) crash the server,
    // which is restarted.
    auto plan = small_plan("inject-corrupt");
    auto const base = baseline(plan);
    ASSERT_GT(base.instructions, 10'000u);
    unsigned fired = 0, restarted = 0;
    for (uint64_t i = 1; i <= 6; ++i) {
        // Bit 6 of each byte of the 8 words above rsp, in turn.
        InjectionPoint point { base.instructions * i / 7, FaultKind::Corrupt, ((i * 8 + 5) % 64) * 8 + 6 };
        auto run = run_injection(plan, point, base.view);
        ASSERT_FALSE(run.is_error()) << run.error().message();
        auto const& v = run.value();
        fired += v.fired;
        restarted += v.restarts > 0;
        EXPECT_TRUE(v.kernel_survived) << inject_token(point) << ": " << v.outcome;
        EXPECT_FALSE(v.gave_up) << inject_token(point);
        EXPECT_TRUE(v.violations.empty()) << inject_token(point) << ": " << v.message;
    }
    EXPECT_EQ(fired, 6u);
    EXPECT_GE(restarted, 1u);
}
