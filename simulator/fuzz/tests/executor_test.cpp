// The crash executor: the same verdicts as the store's explorer on the same workload, every
// cut point checked (or a seeded sample of the stated size), deterministic, and the calls'
// refusals (a commit without begin, a get of a missing key) are errors, not findings.
#include <ferros/check/explorer.h>
#include <ferros/fuzz/crash_executor.h>
#include <ferros/fuzz/finding.h>
#include <ferros/fuzz/program.h>
#include <ferros/fuzz/seeds.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <ferros/workload/builder.h>
#include <gtest/gtest.h>
#include <set>
#include <tuple>

using namespace ferros;
using namespace ferros::fuzz;
using storage::SeededBug;

namespace {

// The explorer's workload as a workload file: a commit of one op is a call outside a
// transaction, of several a begin .. commit; syncs are syncs.
std::vector<uint8_t> as_file(const check::Workload& steps)
{
    workload::Builder builder;
    for (auto const& step : steps) {
        if (step.kind == check::Step::Kind::Sync) {
            builder.sync();
            continue;
        }
        bool const several = step.transaction.ops.size() > 1;
        if (several)
            builder.begin();
        for (auto const& op : step.transaction.ops) {
            if (op.kind == check::Operation::Kind::Delete)
                builder.del(op.key);
            else
                builder.put(op.key, std::string_view(reinterpret_cast<const char*>(op.value.data()), op.value.size()));
        }
        if (several)
            builder.commit();
    }
    return builder.finish();
}

enum class InsideWrites { No, Yes };

std::unique_ptr<CrashExecutor> executor(
    const char* policy, SeededBug bug, uint64_t max_cuts = 0, InsideWrites inside = InsideWrites::Yes)
{
    ExecutorOptions options;
    options.policy = crash::Policy::parse(policy).value();
    options.bug = bug;
    options.max_cuts = max_cuts;
    options.cuts_inside_writes = inside == InsideWrites::Yes;
    return CrashExecutor::create(options).release_value();
}

ferros::abi::Workload parse(const std::vector<uint8_t>& bytes)
{
    return ferros::abi::Workload::parse(ReadonlyBytes(bytes.data(), bytes.size())).release_value();
}

// Under the sanitizers (asan preset, Debug) the explorer's exhaustive runs are slow: fewer.
#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kExplorerSeeds = 1;
#else
constexpr uint64_t kExplorerSeeds = 3;
#endif

struct Case {
    const char* policy;
    SeededBug bug;
};

} // namespace

// Device operations of the mount every run starts with: the explorer counts them as cut
// points, the executor starts after them (they are the same for every input).
uint64_t mount_operations()
{
    storage::HostSsd ssd(64 * 1024);
    EXPECT_FALSE(storage::Store::format(ssd).is_error());
    std::vector<uint64_t> memory(storage::Store::kMemorySize / 8 + 1);
    storage::HostSsd again(std::vector<uint8_t>(ssd.model().durable().begin(), ssd.model().durable().end()));
    storage::Store mounted(again, Bytes(reinterpret_cast<uint8_t*>(memory.data()), storage::Store::kMemorySize));
    EXPECT_FALSE(mounted.mount().is_error());
    return again.operations();
}

TEST(CrashExecutor, AgreesWithTheExplorer)
{
    // Each seeded bug under a policy where it does harm, and the clean store under each: the
    // executor (through the runner and the store calls) and the explorer (the store directly)
    // find the same violations at the same cuts and states, message for message.
    Case const cases[]
        = { { "cache:512:4", SeededBug::None }, { "prefix", SeededBug::None }, { "cache:64:8", SeededBug::None },
              { "cache:512:8", SeededBug::NoFlushBeforeCommit }, { "prefix", SeededBug::AnchorBeforeData },
              { "cache:64:8", SeededBug::ChecksumsNotVerified }, { "cache:64:8", SeededBug::NonAtomicAnchor } };
    uint64_t const mounted = mount_operations();
    for (auto const& c : cases) {
        // The explorer cuts between whole writes only.
        auto fuzz_executor = executor(c.policy, c.bug, 0, InsideWrites::No);
        for (uint64_t seed = 1; seed <= kExplorerSeeds; ++seed) {
            check::RandomWorkloadOptions workload_options;
            workload_options.seed = seed;
            workload_options.steps = 40;
            workload_options.max_value = 400;
            workload_options.sync_percent = 30;
            auto const steps = check::random_workload(workload_options);
            check::ExploreOptions explore_options;
            explore_options.policy = crash::Policy::parse(c.policy).value();
            explore_options.store.bug = c.bug;
            explore_options.first_cut = mounted;
            explore_options.max_violations = 1u << 30;
            auto const explored = check::explore(steps, explore_options);

            auto const bytes = as_file(steps);
            auto const workload = parse(bytes);
            auto const run = fuzz_executor->run(workload, [](const CutViolation&) { return false; });
            using Found = std::tuple<uint64_t, uint64_t, check::Invariant, std::string>;
            std::set<Found> mine, theirs;
            for (auto const& v : run.violations)
                mine.insert({ v.cut, v.state, v.invariant, v.message });
            for (auto const& v : explored.violations)
                theirs.insert({ v.cut, v.state, v.violation.invariant, v.violation.message });
            std::string const what
                = std::string(c.policy) + " " + storage::seeded_bug_name(c.bug) + " seed " + std::to_string(seed);
            // The explorer reports a state again at every cut it appears at; the executor once
            // a history. So every violation of the executor's is one of the explorer's, and
            // every one of the explorer's has the executor's at the same or an earlier cut.
            std::set<std::pair<check::Invariant, std::string>> mine_kinds, their_kinds;
            for (auto const& [cut, state, invariant, message] : mine) {
                EXPECT_TRUE(theirs.count({ cut, state, invariant, message })) << what << ": " << message;
                mine_kinds.insert({ invariant, message });
            }
            for (auto const& [cut, state, invariant, message] : theirs)
                their_kinds.insert({ invariant, message });
            EXPECT_TRUE(mine_kinds == their_kinds) << what;
            if (!mine.empty() && !theirs.empty()) {
                EXPECT_EQ(*mine.begin(), *theirs.begin()) << what;
            }
            EXPECT_EQ(c.bug == SeededBug::None, run.violations.empty()) << what;
            EXPECT_FALSE(run.sampled);
            // Every device operation of the workload is a cut point, and one after the last.
            EXPECT_EQ(run.cuts, run.operations + 1);
            EXPECT_EQ(run.cuts, explored.cuts) << what;
        }
    }
}

TEST(CrashExecutor, ChecksEveryCutPointOrASeededSampleOfTheStatedSize)
{
    // Longer than all_cuts_ops (32): the sample applies.
    auto const bytes = workload::generate(1, 200, *workload::find_profile("txn"));
    auto const workload = parse(bytes);
    auto all = executor("cache:512:4", SeededBug::None, 0)->run(workload);
    EXPECT_FALSE(all.sampled);
    EXPECT_EQ(all.cuts, all.operations + 1);
    ASSERT_GT(all.cuts, 32u);
    EXPECT_GT(all.inside_cuts, 0u);
    EXPECT_LE(all.inside_cuts, all.operations);
    auto sampled_executor = executor("cache:512:4", SeededBug::None, 32);
    auto sampled = sampled_executor->run(workload);
    EXPECT_TRUE(sampled.sampled);
    EXPECT_EQ(sampled.cuts, 32u);
    EXPECT_LE(sampled.inside_cuts, 32u);
    EXPECT_EQ(sampled.operations, all.operations);
    EXPECT_TRUE(all.violations.empty());
    EXPECT_TRUE(sampled.violations.empty());
    // The same input, the same run.
    auto again = sampled_executor->run(workload);
    EXPECT_EQ(again.states, sampled.states);
    EXPECT_EQ(again.distinct_states, sampled.distinct_states);
}

TEST(CrashExecutor, RefusedCallsAreErrorsNotFindings)
{
    auto const bytes = workload::Builder()
                           .commit() // NoTransaction
                           .get("key-000") // NotFound
                           .begin()
                           .begin() // Busy
                           .put_seeded("key-000", 100, 1)
                           .put_seeded("key-001", 60000, 2) // TooBig at the store: over the record limit
                           .commit()
                           .sync()
                           .get("key-000")
                           .finish();
    auto const workload = parse(bytes);
    auto run = executor("cache:512:4", SeededBug::None)->run(workload);
    EXPECT_EQ(run.ops, 9u);
    EXPECT_GE(run.errors, 4u);
    EXPECT_TRUE(run.violations.empty());
}

TEST(CrashExecutor, TheGeneratorSeedsRunClean)
{
    auto clean = executor("cache:512:4", SeededBug::None);
    for (auto const& seed : profile_seeds()) {
        auto run = clean->run(parse(seed.bytes));
        EXPECT_TRUE(run.violations.empty()) << seed.name << ": " << describe(parse(seed.bytes), run.violations[0]);
        EXPECT_GT(run.distinct_states, 0u) << seed.name;
    }
}

TEST(CrashExecutor, AnInputRunAgainReusesItsCleanVerdictsAndFindsItsViolationsAgain)
{
    // The clean store: the second run of an input finds every (state, history) pair of its
    // own clean already, and enumerates the same states.
    auto clean = executor("cache:512:4", SeededBug::None);
    auto const seeds = profile_seeds(16, 1); // the workload reads these bytes: kept alive
    auto const seed = parse(seeds[0].bytes);
    auto const first = clean->run(seed);
    auto const second = clean->run(seed);
    EXPECT_EQ(first.known_states, 0u);
    ASSERT_GT(first.distinct_states, 0u);
    EXPECT_EQ(second.states, first.states);
    EXPECT_EQ(second.distinct_states, first.distinct_states);
    EXPECT_EQ(second.known_states, second.distinct_states);
    // Without the table nothing is known.
    ExecutorOptions none;
    none.known_slots_log2 = 0;
    auto forgetful = CrashExecutor::create(none).release_value();
    (void)forgetful->run(seed);
    EXPECT_EQ(forgetful->run(seed).known_states, 0u);

    // A seeded bug: the violations are found again, the same ones, at the same cuts.
    check::RandomWorkloadOptions workload_options;
    workload_options.seed = 1;
    workload_options.steps = 40;
    workload_options.max_value = 400;
    workload_options.sync_percent = 30;
    auto const bytes = as_file(check::random_workload(workload_options));
    auto const workload = parse(bytes);
    auto buggy = executor("cache:512:8", SeededBug::NoFlushBeforeCommit, 0, InsideWrites::No);
    auto const keep_going = [](const CutViolation&) { return false; };
    auto const found = buggy->run(workload, keep_going);
    auto const again = buggy->run(workload, keep_going);
    ASSERT_FALSE(found.violations.empty());
    EXPECT_GT(again.known_states, 0u) << "the states it left clean are not checked again";
    ASSERT_EQ(again.violations.size(), found.violations.size());
    for (size_t i = 0; i < found.violations.size(); ++i) {
        EXPECT_EQ(again.violations[i].cut, found.violations[i].cut);
        EXPECT_EQ(again.violations[i].state, found.violations[i].state);
        EXPECT_EQ(again.violations[i].invariant, found.violations[i].invariant);
        EXPECT_EQ(again.violations[i].message, found.violations[i].message);
    }
}
