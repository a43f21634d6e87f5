// Crash tests (DESIGN.md sections 4 and 5). For every device operation of a workload (each
// write and each flush) and every state the policy allows when power is cut just before it,
// mount succeeds and R1-R6 hold against the oracle; with nested cuts, R8 too.
#include <ferros/check/explorer.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::check;

namespace {

// Small enough to enumerate every cut and state; a small log budget makes it checkpoint
// several times.
Workload small_workload(uint64_t seed)
{
    RandomWorkloadOptions options;
    options.seed = seed;
    options.steps = 40;
    options.key_space = 10;
    options.max_value = 60;
    options.max_ops = 3;
    options.sync_percent = 30;
    return random_workload(options);
}

// Turns the 64 KiB ring more than twice, with cold keys that must be carried forward.
Workload rotating_workload(uint64_t seed)
{
    RandomWorkloadOptions options;
    options.seed = seed;
    options.steps = 300;
    options.key_space = 12;
    options.max_value = 300;
    options.max_ops = 3;
    options.sync_percent = 30;
    options.cold_keys = 20;
    return random_workload(options);
}

// Sanitizer builds (the asan preset) run about 15 times slower: there the long explorations
// cut at every few operations instead of every one. The dev preset keeps them exhaustive.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kSanitizerStride = 6;
#else
constexpr uint64_t kSanitizerStride = 1;
#endif

constexpr uint64_t kSmallLogBudget = 1024;
constexpr uint64_t kRotatingLogBudget = 4096;

ExploreOptions options_for(const char* policy, uint64_t log_budget)
{
    ExploreOptions options;
    options.policy = crash::Policy::parse(policy).value();
    options.store.log_budget = log_budget;
    return options;
}

std::string test_name(const char* text)
{
    std::string name = text;
    for (auto& c : name)
        if (c == ':' || c == '-')
            c = '_';
    return name;
}

} // namespace

class ExhaustiveCrash : public ::testing::TestWithParam<const char*> { };

TEST_P(ExhaustiveCrash, EveryCutAndEveryStateKeepsR1ToR6)
{
    auto const report = explore(small_workload(7), options_for(GetParam(), kSmallLogBudget));
    EXPECT_TRUE(report.violations.empty()) << report.summary();
    EXPECT_EQ(report.cuts, report.operations + 1) << "every device operation is a cut point";
    EXPECT_GT(report.operations, 60u);
    EXPECT_GE(report.states, report.cuts);
}

INSTANTIATE_TEST_SUITE_P(Policies, ExhaustiveCrash,
    ::testing::Values("strict", "prefix", "cache:8:8", "cache:64:8", "cache:512:8", "cache:4096:8", "torn:8:8",
        "torn:64:6", "torn:512:8", "torn:4096:4"),
    [](const auto& info) { return test_name(info.param); });

// R8: cut again during the recovery of every crash state.
TEST(NestedCrash, ACutDuringRecoveryKeepsR1ToR6)
{
    for (char const* policy : { "cache:64:8", "torn:64:4", "prefix" }) {
        auto options = options_for(policy, kSmallLogBudget);
        options.nested_cuts = true;
        options.cut_stride = kSanitizerStride;
        // R1-R6 after a second cut; R14's lap of the ring per state is the other tests' (and
        // the campaign's) to run: here it would multiply the cost of the suite.
        options.live = false;
        auto const report = explore(small_workload(11), options);
        EXPECT_TRUE(report.violations.empty()) << policy << ": " << report.summary();
        EXPECT_GT(report.nested_states, report.distinct_states) << policy;
    }
}

// Seeded random workloads that turn the ring at least twice: every cut for coarse units,
// every few cuts for fine ones, and nested cuts along the way.
class RotatingCrash : public ::testing::TestWithParam<uint64_t> { };

TEST_P(RotatingCrash, RingTurnsTwiceAndEveryCheckedStateKeepsR1ToR6AndR8)
{
    auto const workload = rotating_workload(GetParam());
    auto coarse = options_for("cache:512:8", kRotatingLogBudget);
    coarse.cut_stride = kSanitizerStride;
    auto const report = explore(workload, coarse);
    EXPECT_GE(report.ring_turns, 2.0);
    EXPECT_TRUE(report.violations.empty()) << report.summary();
    EXPECT_EQ(report.cuts, report.operations / kSanitizerStride + 1);

    auto fine = options_for("torn:64:6", kRotatingLogBudget);
    fine.cut_stride = 7 * kSanitizerStride;
    fine.first_cut = GetParam() % 7;
    fine.seed = GetParam();
    fine.live = false; // R14 runs on every state of the coarse exploration above
    auto const sampled = explore(workload, fine);
    EXPECT_TRUE(sampled.violations.empty()) << sampled.summary();

    auto nested = options_for("cache:64:8", kRotatingLogBudget);
    nested.cut_stride = 13 * kSanitizerStride;
    nested.first_cut = GetParam() % 13;
    nested.nested_cuts = true;
    nested.live = false;
    auto const recut = explore(workload, nested);
    EXPECT_TRUE(recut.violations.empty()) << recut.summary();
    EXPECT_GT(recut.nested_states, 0u);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RotatingCrash, ::testing::Values(1, 2, 3));

// A store driven into NoSpace again and again (refused commits are withdrawn from the
// oracle): every cut and state still keeps R1-R6.
TEST(FullStoreCrash, NoSpaceUnderCutsKeepsR1ToR6)
{
    RandomWorkloadOptions workload_options;
    workload_options.seed = 21;
    workload_options.steps = 120;
    workload_options.key_space = 48;
    workload_options.max_value = 600;
    workload_options.delete_percent = 10;
    auto const workload = random_workload(workload_options);
    auto options = options_for("cache:512:8", kRotatingLogBudget);
    options.cut_stride = kSanitizerStride;
    auto const report = explore(workload, options);
    EXPECT_TRUE(report.violations.empty()) << report.summary();
    EXPECT_GT(report.withdrawn, 0u) << "the workload must fill the store";
}
