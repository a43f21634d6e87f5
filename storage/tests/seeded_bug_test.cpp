// Each seeded bug breaks one guarantee; the crash tests must catch it and name the invariant.
#include <ferros/check/explorer.h>
#include <ferros/storage/seeded_bug.h>
#include <gtest/gtest.h>
#include <string_view>

using namespace ferros;
using namespace ferros::check;
using storage::SeededBug;

namespace {

Workload workload(bool rotating)
{
    RandomWorkloadOptions options;
    options.seed = 7;
    options.steps = rotating ? 300 : 40;
    options.key_space = rotating ? 12 : 10;
    options.max_value = rotating ? 300 : 60;
    options.sync_percent = 30;
    options.cold_keys = rotating ? 20 : 0;
    return random_workload(options);
}

struct BugCase {
    SeededBug bug;
    char const* policy; // a policy under which the bug can do harm
    bool rotating; // the bug lives in ring rotation: the workload must turn the ring
    Invariant expected;

    friend void PrintTo(const BugCase& bug_case, std::ostream* out)
    {
        *out << storage::seeded_bug_name(bug_case.bug) << " under " << bug_case.policy;
    }
};

// The clean rotating run is long under sanitizers; there it cuts at every third operation.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kSanitizerStride = 3;
#else
constexpr uint64_t kSanitizerStride = 1;
#endif

ExploreReport explore_bug(const BugCase& bug_case, SeededBug bug)
{
    ExploreOptions options;
    options.policy = crash::Policy::parse(bug_case.policy).value();
    options.store.bug = bug;
    options.store.log_budget = bug_case.rotating ? 4096 : 1024;
    options.max_violations = 4;
    if (bug == SeededBug::None)
        options.cut_stride = kSanitizerStride;
    return explore(workload(bug_case.rotating), options);
}

} // namespace

class SeededBugCaught : public ::testing::TestWithParam<BugCase> { };

TEST_P(SeededBugCaught, CrashTestsReportTheBrokenInvariant)
{
    auto const& bug_case = GetParam();
    auto const report = explore_bug(bug_case, bug_case.bug);
    ASSERT_FALSE(report.violations.empty()) << storage::seeded_bug_name(bug_case.bug) << " went unnoticed";
    EXPECT_TRUE(report.found(bug_case.expected))
        << storage::seeded_bug_name(bug_case.bug) << " should break " << invariant_id(bug_case.expected) << ":\n"
        << report.summary();
}

// The same workload and policy without the bug pass: the violation is the bug's doing.
TEST_P(SeededBugCaught, TheSameRunWithoutTheBugIsClean)
{
    auto const report = explore_bug(GetParam(), SeededBug::None);
    EXPECT_TRUE(report.violations.empty()) << report.summary();
}

INSTANTIATE_TEST_SUITE_P(Bugs, SeededBugCaught,
    ::testing::Values(BugCase { SeededBug::NoFlushBeforeCommit, "cache:512:8", false, Invariant::R1 },
        BugCase { SeededBug::AnchorBeforeData, "prefix", false, Invariant::R1 },
        BugCase { SeededBug::ChecksumsNotVerified, "cache:64:8", false, Invariant::R2 },
        BugCase { SeededBug::NonAtomicAnchor, "cache:64:8", false, Invariant::R3 },
        BugCase { SeededBug::FreeBeforeRelocate, "cache:512:8", true, Invariant::R2 },
        BugCase { SeededBug::FreeSpaceForgetsWrap, "cache:512:8", false, Invariant::R14 },
        BugCase { SeededBug::SyncWithoutFlush, "cache:512:8", false, Invariant::R3 }),
    [](const auto& info) {
        std::string name = storage::seeded_bug_name(info.param.bug);
        for (auto& c : name)
            if (c == '-')
                c = '_';
        return name;
    });

TEST(SeededBugTable, NamesRoundTripAndNoneIsTheDefault)
{
    EXPECT_EQ(storage::StoreOptions {}.bug, SeededBug::None);
    EXPECT_EQ(std::string_view(storage::seeded_bug_name(SeededBug::None)), "none");
    for (auto bug : storage::kSeededBugs) {
        std::string_view const name = storage::seeded_bug_name(bug);
        auto found = storage::seeded_bug_from_name(name.data(), name.size());
        ASSERT_FALSE(found.is_error()) << name;
        EXPECT_EQ(found.value(), bug);
        EXPECT_GT(std::string_view(storage::seeded_bug_description(bug)).size(), 10u);
    }
    EXPECT_EQ(storage::seeded_bug_from_name("no-such-bug", 11).error().code(), ErrorCode::NotFound);
    EXPECT_EQ(std::size(storage::kSeededBugs), 8u);
}

// A store that mounts and reads back correctly but cannot commit after the next wrap breaks
// nothing a reading checker sees (R1-R6): only the continuation after recovery (R14) finds it,
// and it does so on every state it checks.
TEST(SeededBugLive, OnlyTheContinuationFindsAStoreThatCannotCommitAfterTheWrap)
{
    BugCase const bug_case { SeededBug::FreeSpaceForgetsWrap, "cache:512:8", false, Invariant::R14 };
    auto const report = explore_bug(bug_case, bug_case.bug);
    ASSERT_EQ(report.violations.size(), 4u) << report.summary();
    for (auto const& found : report.violations)
        EXPECT_EQ(found.violation.invariant, Invariant::R14) << report.summary();

    ExploreOptions reading;
    reading.policy = crash::Policy::parse(bug_case.policy).value();
    reading.store.bug = bug_case.bug;
    reading.store.log_budget = 1024;
    reading.live = false;
    auto const without = explore(workload(false), reading);
    EXPECT_TRUE(without.violations.empty()) << without.summary();
    EXPECT_GT(without.distinct_states, 100u);
}
