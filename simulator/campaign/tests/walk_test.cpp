// The walk over a recorded trace: the engine's trace phase takes a trace recorded by the test
// (campaign_test_support.h), and its walk covers every boundary, checks every distinct state,
// finds nothing wrong with the real store and finds a seeded bug; its results depend neither
// on --jobs nor on where it was interrupted.

#include "campaign_test_support.h"
#include <ferros/campaign/merge.h>
#include <ferros/campaign/oracle.h>
#include <ferros/campaign/phases.h>
#include <ferros/campaign/token.h>
#include <ferros/campaign/walker.h>
#include <gtest/gtest.h>
#include <set>

using namespace ferros;
using namespace ferros::campaign;
using namespace ferros::campaign::test;

namespace {

CampaignOptions bug_campaign(const std::string& out, const std::string& kernel)
{
    auto options = small_campaign(out, kernel);
    options.bug = "checksums-not-verified";
    return options;
}

} // namespace

TEST(CampaignWalk, CoversEveryBoundaryAndFindsNothingWrongWithTheStore)
{
    Campaign c;
    ASSERT_NO_FATAL_FAILURE(prepare(small_campaign(temp_path("out"), dummy_kernel()), c));
    // The recorded run is a real one: the store wrote, flushed, and acknowledged syncs.
    EXPECT_GT(c.run.stores, 100u);
    EXPECT_GT(c.run.flushes, 2u);
    EXPECT_GT(c.run.durable_ops, 0u);
    uint64_t const events = c.run.stores + c.run.flushes + c.run.markers;
    // The file holds what was recorded.
    auto reader = trace::TraceReader::open(c.trace);
    ASSERT_FALSE(reader.is_error());
    EXPECT_EQ(reader.value().footer().stores, c.run.stores);
    EXPECT_EQ(reader.value().footer().flushes, c.run.flushes);
    EXPECT_EQ(reader.value().footer().markers, c.run.markers);
    EXPECT_EQ(reader.value().footer().end_boundary, c.run.end_boundary);
    EXPECT_EQ(reader.value().header().ssd_size, c.plan.initial_image.size());

    WalkProgress p;
    ASSERT_NO_FATAL_FAILURE(walk_to_end(c, p));
    EXPECT_TRUE(p.done);
    // Every boundary 0..N, one class per event (each event has a boundary of its own) and the
    // class before the first.
    EXPECT_EQ(p.boundaries, c.run.end_boundary + 1);
    EXPECT_EQ(p.boundaries, trace_boundaries(c.trace).value());
    EXPECT_EQ(p.next_boundary, c.run.end_boundary + 1);
    EXPECT_EQ(p.classes, events + 1);
    EXPECT_EQ(p.class_index, p.classes);
    // Pending writes give classes more than one state; repeats are checked once.
    EXPECT_GT(p.states, p.classes);
    EXPECT_GT(p.distinct, c.run.flushes);
    EXPECT_LT(p.distinct, p.states);
    EXPECT_EQ(p.checked, p.distinct);
    EXPECT_EQ(describe(c.db->progress("main").value()), describe(p)) << "the database holds what the walk returned";

    auto rows = c.db->states(1).value();
    ASSERT_EQ(rows.size(), p.distinct);
    std::set<uint64_t> hashes;
    for (auto const& row : rows) {
        EXPECT_TRUE(hashes.insert(row.hash).second) << "each distinct state once";
        EXPECT_TRUE(row.invariants.empty()) << describe(std::vector<StateRow> { row }).at(0);
    }
    EXPECT_TRUE(c.db->violations().value().empty());

    // Each row names a state the trace has, by boundary and index, as its token would: rebuild
    // it and compare its content hash.
    auto r = open_reconstructor(c.trace, c.plan.initial_image);
    ASSERT_FALSE(r.is_error()) << r.error().message();
    std::optional<reconstruct::CrashStates> states;
    for (auto const& row : rows) {
        if (!states || r.value().boundary().value() != row.boundary) {
            states.reset();
            ASSERT_FALSE(r.value().advance_to(Boundary(row.boundary)).is_error());
            auto created = r.value().states(c.plan.policy, c.plan.seed);
            ASSERT_FALSE(created.is_error());
            states.emplace(created.release_value());
        }
        ASSERT_LT(row.state, states->count());
        EXPECT_EQ(states->space().hash(row.state), row.hash) << "boundary " << row.boundary;
    }

    // A finished walk is not walked again.
    WalkProgress again;
    ASSERT_NO_FATAL_FAILURE(walk_to_end(c, again));
    EXPECT_EQ(describe(again), describe(p));
    EXPECT_EQ(c.db->states(1).value().size(), p.distinct);
}

// A seeded bug, what docs/campaign.md says the default campaign finds it as, and the one of
// those a 40-op run already shows. (free-before-relocate needs a ring rotation, which 40 ops
// on 64 KiB do not reach.)
struct SeededBugCase {
    const char* bug;
    std::set<check::Invariant> found_as;
    check::Invariant first;
};

void PrintTo(const SeededBugCase& c, std::ostream* os) { *os << c.bug; }

class CampaignWalkSeededBug : public ::testing::TestWithParam<SeededBugCase> { };

TEST_P(CampaignWalkSeededBug, IsFoundAsDocumented)
{
    using check::Invariant;
    auto const& bug = GetParam();
    auto options = small_campaign(temp_path("out"), dummy_kernel());
    options.bug = bug.bug;
    Campaign c;
    ASSERT_NO_FATAL_FAILURE(prepare(options, c));
    WalkProgress p;
    ASSERT_NO_FATAL_FAILURE(walk_to_end(c, p));
    EXPECT_TRUE(p.done);
    EXPECT_EQ(p.boundaries, c.run.end_boundary + 1);

    auto violations = c.db->violations().value();
    ASSERT_FALSE(violations.empty());
    auto rows = c.db->states(1).value();
    std::set<std::pair<uint64_t, uint64_t>> flagged;
    std::set<Invariant> from_states;
    for (auto const& row : rows) {
        if (!row.invariants.empty())
            flagged.insert({ row.boundary, row.state });
        from_states.insert(row.invariants.begin(), row.invariants.end());
    }
    std::set<Invariant> found;
    for (auto const& v : violations) {
        found.insert(v.invariant);
        EXPECT_EQ(bug.found_as.count(v.invariant), 1u) << check::invariant_id(v.invariant) << ": " << v.message;
        EXPECT_EQ(v.checker, Checker::Host);
        EXPECT_EQ(v.depth, 1);
        EXPECT_EQ(flagged.count({ v.boundary, v.state }), 1u) << "a violation belongs to a flagged state";
        // Its token names this campaign and this cut.
        auto token = ReproToken::decode(v.token);
        ASSERT_FALSE(token.is_error()) << v.token;
        EXPECT_EQ(token.value().boundary, v.boundary);
        EXPECT_EQ(token.value().state, v.state);
        EXPECT_EQ(token.value().bug, bug.bug);
        EXPECT_EQ(token.value().policy, "cache:512:4");
        EXPECT_EQ(token.value().kernel_hash, c.plan.kernel_hash);
        EXPECT_EQ(token.value().workload_hash, c.plan.workload_hash);
        EXPECT_FALSE(token.value().nested.has_value());
    }
    EXPECT_EQ(found.count(bug.first), 1u) << check::invariant_id(bug.first) << " not found";
    EXPECT_EQ(found, from_states) << "the violations table and the states' invariants agree";
}

INSTANTIATE_TEST_SUITE_P(Bugs, CampaignWalkSeededBug,
    ::testing::Values(SeededBugCase { "no-flush-before-commit",
                          { check::Invariant::R1, check::Invariant::R2, check::Invariant::R5 }, check::Invariant::R1 },
        SeededBugCase { "anchor-before-data", { check::Invariant::R1, check::Invariant::R2, check::Invariant::R5 },
            check::Invariant::R1 },
        SeededBugCase { "checksums-not-verified",
            { check::Invariant::R1, check::Invariant::R2, check::Invariant::R3, check::Invariant::R4,
                check::Invariant::R5, check::Invariant::R6 },
            check::Invariant::R2 },
        SeededBugCase { "non-atomic-anchor", { check::Invariant::R3, check::Invariant::R5, check::Invariant::R6 },
            check::Invariant::R3 },
        // Mounts and reads back correctly: only the continuation after recovery finds it.
        SeededBugCase { "free-space-forgets-wrap", { check::Invariant::R14 }, check::Invariant::R14 }),
    [](const ::testing::TestParamInfo<SeededBugCase>& info) {
        std::string name = info.param.bug;
        std::erase(name, '-');
        return name;
    });

TEST(CampaignWalk, ResultsDoNotDependOnJobs)
{
    auto kernel = dummy_kernel();
    Campaign one, two;
    ASSERT_NO_FATAL_FAILURE(prepare(bug_campaign(temp_path("jobs1"), kernel), one));
    auto options = bug_campaign(temp_path("jobs2"), kernel);
    options.jobs = 2;
    ASSERT_NO_FATAL_FAILURE(prepare(options, two));
    EXPECT_EQ(two.plan.jobs, 2u);
    WalkProgress a, b;
    ASSERT_NO_FATAL_FAILURE(walk_to_end(one, a));
    ASSERT_NO_FATAL_FAILURE(walk_to_end(two, b));
    EXPECT_GT(a.checked, 0u);
    auto ra = results_of(*one.db);
    auto rb = results_of(*two.db);
    EXPECT_FALSE(ra.violations.empty());
    EXPECT_EQ(ra.progress, rb.progress);
    EXPECT_EQ(ra.states, rb.states);
    EXPECT_EQ(ra.violations, rb.violations);
}

TEST(CampaignWalk, AnInterruptedWalkResumesToTheSameResults)
{
    auto kernel = dummy_kernel();
    Campaign whole, cut;
    ASSERT_NO_FATAL_FAILURE(prepare(bug_campaign(temp_path("whole"), kernel), whole));
    ASSERT_NO_FATAL_FAILURE(prepare(bug_campaign(temp_path("cut"), kernel), cut));
    WalkProgress uninterrupted;
    ASSERT_NO_FATAL_FAILURE(walk_to_end(whole, uninterrupted));

    // The walk the phase runs, in small batches, stopped from its progress callback after
    // every batch and resumed each time from what the database holds.
    auto config_of = [](const Plan& plan) {
        WalkConfig config;
        config.policy = plan.policy;
        config.seed = plan.seed;
        config.jobs = 2;
        config.check.store.bug = plan.bug;
        config.token = plan.token();
        config.batch_states = 512;
        return config;
    };
    auto workload = cut.plan.workload();
    unsigned interruptions = 0;
    uint64_t last_next = 0;
    for (;;) {
        auto r = open_reconstructor(cut.trace, cut.plan.initial_image);
        ASSERT_FALSE(r.is_error());
        MarkerOracle oracle(workload);
        std::atomic<bool> stop { false };
        unsigned calls = 0;
        auto walked = walk(
            r.value(), &oracle, *cut.db, config_of(cut.plan),
            [&](const WalkProgress& progress, uint64_t total) {
                EXPECT_EQ(total, uninterrupted.boundaries);
                EXPECT_LE(progress.next_boundary, total);
                ++calls;
                stop = true;
            },
            stop);
        EXPECT_GE(calls, 1u);
        EXPECT_LE(calls, 2u) << "stopped at the first batch after the stop";
        auto saved = cut.db->progress("main").value();
        EXPECT_GT(saved.next_boundary, last_next) << "each run committed one more batch";
        last_next = saved.next_boundary;
        if (!walked.is_error()) {
            EXPECT_TRUE(saved.done);
            break;
        }
        ASSERT_EQ(walked.error().code(), ErrorCode::Interrupted) << describe_error(walked.error());
        EXPECT_FALSE(saved.done);
        ASSERT_LT(++interruptions, 100000u);
    }
    EXPECT_GT(interruptions, 3u);

    auto a = results_of(*whole.db);
    auto b = results_of(*cut.db);
    EXPECT_FALSE(a.violations.empty());
    EXPECT_EQ(a.progress, b.progress);
    EXPECT_EQ(a.states, b.states);
    EXPECT_EQ(a.violations, b.violations);
}

TEST(CampaignWalk, WalkPhaseSaysInterruptedAndResumes)
{
    auto kernel = dummy_kernel();
    Campaign whole, cut;
    ASSERT_NO_FATAL_FAILURE(prepare(small_campaign(temp_path("whole"), kernel), whole));
    ASSERT_NO_FATAL_FAILURE(prepare(small_campaign(temp_path("cut"), kernel), cut));
    WalkProgress uninterrupted;
    ASSERT_NO_FATAL_FAILURE(walk_to_end(whole, uninterrupted));

    // Stopped before it starts (a signal that came while the trace phase ran): it saves the
    // first batch and says Interrupted, not PowerCut.
    std::atomic<bool> stop { true };
    QuietReporter quiet;
    auto walked = walk_phase(cut.plan, cut.trace, *cut.db, quiet, stop);
    ASSERT_TRUE(walked.is_error());
    EXPECT_EQ(walked.error().code(), ErrorCode::Interrupted) << walked.error().message();
    auto saved = cut.db->progress("main").value();
    EXPECT_FALSE(saved.done);
    EXPECT_GT(saved.checked, 0u);
    EXPECT_LT(saved.next_boundary, uninterrupted.next_boundary);

    WalkProgress resumed;
    ASSERT_NO_FATAL_FAILURE(walk_to_end(cut, resumed));
    EXPECT_EQ(describe(resumed), describe(uninterrupted));
    auto a = results_of(*whole.db);
    auto b = results_of(*cut.db);
    EXPECT_EQ(a.states, b.states);
    EXPECT_EQ(a.violations, b.violations);
}

TEST(CampaignWalk, RefusesATraceOfAnotherWorkload)
{
    auto kernel = dummy_kernel();
    Campaign c;
    ASSERT_NO_FATAL_FAILURE(prepare(small_campaign(temp_path("out"), kernel), c));
    // The markers of a 40-op run do not fit a 5-op workload.
    auto options = small_campaign(temp_path("short"), kernel);
    options.ops = 5;
    auto other = make_plan(options);
    ASSERT_FALSE(other.is_error());
    auto r = open_reconstructor(c.trace, c.plan.initial_image);
    ASSERT_FALSE(r.is_error());
    auto workload = other.value().workload();
    MarkerOracle oracle(workload);
    WalkConfig config;
    config.policy = c.plan.policy;
    std::atomic<bool> stop { false };
    auto db = ResultsDb::open(other.value().path("results.db"));
    ASSERT_FALSE(db.is_error());
    auto walked = walk(r.value(), &oracle, db.value(), config, {}, stop);
    ASSERT_TRUE(walked.is_error());
    EXPECT_EQ(walked.error().code(), ErrorCode::BadFormat) << describe_error(walked.error());

    // A trace from another initial image is refused before any walk.
    auto image = c.plan.initial_image;
    image[100] ^= 1;
    auto mismatched = open_reconstructor(c.trace, image);
    ASSERT_TRUE(mismatched.is_error());
    EXPECT_EQ(mismatched.error().code(), ErrorCode::Mismatch) << mismatched.error().message();
}
