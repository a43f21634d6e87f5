// Shards and merge: the same recorded run walked as shards 0/2 and 1/2 and merged gives what
// the unsharded walk gives; merge refuses what is not a whole, finished campaign, and a
// database it cannot read is an error, never a smaller merge.

#include "campaign_test_support.h"
#include <algorithm>
#include <ferros/campaign/merge.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <set>
#include <sqlite3.h>

using namespace ferros;
using namespace ferros::campaign;
using namespace ferros::campaign::test;

namespace {

CampaignOptions shard_campaign(const std::string& out, const std::string& kernel, const std::string& shard)
{
    auto options = small_campaign(out, kernel);
    options.bug = "checksums-not-verified"; // so that there are violations to merge
    options.shard = shard;
    return options;
}

// A finished shard (or campaign) in `out`.
void walked(const CampaignOptions& options, Campaign& c)
{
    ASSERT_NO_FATAL_FAILURE(prepare(options, c));
    WalkProgress p;
    ASSERT_NO_FATAL_FAILURE(walk_to_end(c, p));
    ASSERT_TRUE(p.done);
}

// Runs one SQL statement on a shard's database, as a damaged or tampered file would hold it.
void tamper(const std::string& db_path, const char* sql)
{
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    EXPECT_EQ(rc, SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
}

void copy_dir(const std::string& from, const std::string& to)
{
    std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
}

} // namespace

TEST(CampaignMerge, ShardsMergeToTheUnshardedWalk)
{
    auto kernel = dummy_kernel();
    Campaign whole, s0, s1;
    ASSERT_NO_FATAL_FAILURE(walked(shard_campaign(temp_path("whole"), kernel, ""), whole));
    ASSERT_NO_FATAL_FAILURE(walked(shard_campaign(temp_path("s0"), kernel, "0/2"), s0));
    ASSERT_NO_FATAL_FAILURE(walked(shard_campaign(temp_path("s1"), kernel, "1/2"), s1));
    auto all = whole.db->progress("main").value();
    auto p0 = s0.db->progress("main").value();
    auto p1 = s1.db->progress("main").value();
    // Each shard walked the whole run and checked its own classes: they split the boundaries,
    // the classes and the states between them.
    EXPECT_EQ(p0.boundaries + p1.boundaries, all.boundaries);
    EXPECT_EQ(p0.classes + p1.classes, all.classes);
    EXPECT_EQ(p0.states + p1.states, all.states);
    EXPECT_EQ(p0.classes, (all.classes + 1) / 2);
    EXPECT_GT(p1.checked, 0u);
    EXPECT_EQ(p0.class_index, all.class_index);
    EXPECT_EQ(p1.next_boundary, all.next_boundary);

    auto out = temp_path("merged");
    auto merged = merge_shards({ s0.plan.out_dir, s1.plan.out_dir }, out);
    ASSERT_FALSE(merged.is_error()) << merged.error().message();
    EXPECT_EQ(merged.value().shard_count, 2u);
    EXPECT_EQ(merged.value().total_boundaries, trace_boundaries(whole.trace).value());

    auto db = ResultsDb::open(out + "/results.db");
    ASSERT_FALSE(db.is_error());
    auto id = db.value().identity().value();
    auto expected_id = whole.plan.identity();
    expected_id["shard"] = "merged/2";
    EXPECT_EQ(id, expected_id);
    auto m = db.value().progress("main").value();
    EXPECT_TRUE(m.done);
    EXPECT_EQ(m.boundaries, all.boundaries);
    EXPECT_EQ(m.boundaries, merged.value().total_boundaries) << "the merged coverage is the whole run";
    EXPECT_EQ(m.classes, all.classes);
    EXPECT_EQ(m.states, all.states);
    EXPECT_EQ(m.distinct, all.distinct);
    EXPECT_EQ(m.checked, all.checked);

    // As if one campaign had walked them all: the same states, the same violations, tokens
    // and all.
    auto a = results_of(whole.db.value());
    auto b = results_of(db.value());
    EXPECT_FALSE(a.violations.empty());
    EXPECT_EQ(a.states, b.states);
    EXPECT_EQ(a.violations, b.violations);
    EXPECT_EQ(a.progress, b.progress);

    // The order of the shards on the command line does not matter.
    auto reversed_out = temp_path("reversed");
    auto reversed = merge_shards({ s1.plan.out_dir, s0.plan.out_dir }, reversed_out);
    ASSERT_FALSE(reversed.is_error()) << reversed.error().message();
    auto db2 = ResultsDb::open(reversed_out + "/results.db");
    ASSERT_FALSE(db2.is_error());
    auto c = results_of(db2.value());
    EXPECT_EQ(a.states, c.states);
    EXPECT_EQ(a.violations, c.violations);
    EXPECT_EQ(a.progress, c.progress);
}

TEST(CampaignMerge, RefusesWhatIsNotOneWholeFinishedCampaign)
{
    auto kernel = dummy_kernel();
    Campaign s0, s1, other1;
    ASSERT_NO_FATAL_FAILURE(walked(shard_campaign(temp_path("s0"), kernel, "0/2"), s0));
    ASSERT_NO_FATAL_FAILURE(walked(shard_campaign(temp_path("s1"), kernel, "1/2"), s1));
    // Shard 1/2 of another campaign (another policy). Merge compares identities before it asks
    // whether a shard finished (that would be InvalidArgument): no need to walk it.
    auto other = shard_campaign(temp_path("other1"), kernel, "1/2");
    other.policy = "cache:4096:4";
    ASSERT_NO_FATAL_FAILURE(prepare(other, other1));

    auto expect_refused = [&](const std::vector<std::string>& shards, ErrorCode code, const char* what) {
        auto out = temp_path("merged");
        auto merged = merge_shards(shards, out);
        ASSERT_TRUE(merged.is_error()) << what;
        EXPECT_EQ(merged.error().code(), code) << what << ": " << merged.error().message();
        EXPECT_FALSE(merged.error().message().empty());
        EXPECT_FALSE(std::filesystem::exists(out + "/results.db")) << what << ": nothing merged";
    };
    expect_refused({ s0.plan.out_dir }, ErrorCode::InvalidArgument, "a missing shard");
    expect_refused({ s0.plan.out_dir, s0.plan.out_dir }, ErrorCode::InvalidArgument, "a shard twice");
    expect_refused({ s0.plan.out_dir, other1.plan.out_dir }, ErrorCode::Mismatch, "shards of different campaigns");
    expect_refused({ s0.plan.out_dir, temp_path("nowhere") }, ErrorCode::InvalidArgument, "not a shard directory");

    // A shard of three next to shards of two.
    Campaign third;
    ASSERT_NO_FATAL_FAILURE(prepare(shard_campaign(temp_path("third"), kernel, "2/3"), third));
    expect_refused({ s0.plan.out_dir, s1.plan.out_dir, third.plan.out_dir }, ErrorCode::Mismatch, "another N");

    // An unfinished shard: its walk was interrupted (or never ran).
    Campaign unfinished;
    ASSERT_NO_FATAL_FAILURE(prepare(shard_campaign(temp_path("unfinished"), kernel, "1/2"), unfinished));
    std::atomic<bool> stop { true };
    QuietReporter quiet;
    auto interrupted = walk_phase(unfinished.plan, unfinished.trace, *unfinished.db, quiet, stop);
    ASSERT_TRUE(interrupted.is_error());
    ASSERT_EQ(interrupted.error().code(), ErrorCode::Interrupted);
    expect_refused({ s0.plan.out_dir, unfinished.plan.out_dir }, ErrorCode::InvalidArgument, "an unfinished shard");

    // A directory that already holds results is not merged into.
    auto out = temp_path("taken");
    ASSERT_FALSE(merge_shards({ s0.plan.out_dir, s1.plan.out_dir }, out).is_error());
    auto again = merge_shards({ s0.plan.out_dir, s1.plan.out_dir }, out);
    ASSERT_TRUE(again.is_error());
    EXPECT_EQ(again.error().code(), ErrorCode::InvalidArgument) << again.error().message();
}

TEST(CampaignMerge, AFailedDatabaseReadIsAnErrorNotASmallerMerge)
{
    auto kernel = dummy_kernel();
    Campaign s0, s1;
    ASSERT_NO_FATAL_FAILURE(walked(shard_campaign(temp_path("s0"), kernel, "0/2"), s0));
    ASSERT_NO_FATAL_FAILURE(walked(shard_campaign(temp_path("s1"), kernel, "1/2"), s1));
    s1.db.reset(); // closed, as a finished shard's database is

    struct Case {
        const char* what;
        const char* sql;
    };
    std::vector<Case> const cases {
        { "a state names an unknown invariant",
            "UPDATE states SET invariants = 'R42' WHERE rowid = (SELECT MIN(rowid) FROM states)" },
        { "a violation names an unknown invariant", "UPDATE violations SET invariant = 'R0'" },
        { "a violation names an unknown checker", "UPDATE violations SET checker = 'oracle'" },
        { "the states table is gone", "DROP TABLE states" },
        { "the violations table is gone", "DROP TABLE violations" },
        { "the reboots table is gone", "DROP TABLE reboots" },
        { "the progress table is gone", "DROP TABLE progress" },
        { "the identity is gone", "DROP TABLE meta" },
    };
    int n = 0;
    for (auto const& c : cases) {
        auto damaged = temp_path("damaged-" + std::to_string(n));
        copy_dir(s1.plan.out_dir, damaged);
        ASSERT_NO_FATAL_FAILURE(tamper(damaged + "/results.db", c.sql));
        auto out = temp_path("merged-" + std::to_string(n));
        ++n;
        auto merged = merge_shards({ s0.plan.out_dir, damaged }, out);
        ASSERT_TRUE(merged.is_error()) << c.what << ": merged";
        EXPECT_EQ(merged.error().code(), ErrorCode::Io) << c.what << ": " << merged.error().message();
        EXPECT_NE(merged.error().message().find(damaged), std::string::npos)
            << "the message names the database: " << merged.error().message();
        // Nothing was merged.
        if (std::filesystem::exists(out + "/results.db")) {
            auto db = ResultsDb::open(out + "/results.db");
            ASSERT_FALSE(db.is_error());
            EXPECT_TRUE(db.value().identity().value().empty()) << c.what;
            EXPECT_TRUE(db.value().states(1).value().empty()) << c.what;
        }
    }

    // A shard written before the loss pass existed has no loss_classes table: that is an older
    // database, not a damaged one, and still merges.
    auto older = temp_path("older");
    copy_dir(s1.plan.out_dir, older);
    ASSERT_NO_FATAL_FAILURE(tamper(older + "/results.db", "DROP TABLE loss_classes"));
    auto merged_older = merge_shards({ s0.plan.out_dir, older }, temp_path("merged-older"));
    EXPECT_FALSE(merged_older.is_error()) << merged_older.error().message();

    // The undamaged shards still merge.
    EXPECT_FALSE(merge_shards({ s0.plan.out_dir, s1.plan.out_dir }, temp_path("merged")).is_error());
}

namespace {

// A finished shard with its loss pass, which records the phases and the run's situations.
void walked_with_loss(const CampaignOptions& options, Campaign& c)
{
    ASSERT_NO_FATAL_FAILURE(walked(options, c));
    std::atomic<bool> stop { false };
    QuietReporter quiet;
    auto lost = loss_phase(c.plan, c.trace, *c.db, quiet, stop);
    ASSERT_FALSE(lost.is_error()) << lost.error().message();
}

std::map<std::string, uint64_t> boundaries_by_phase(ResultsDb& db)
{
    std::map<std::string, uint64_t> out;
    auto classes = db.loss_classes();
    EXPECT_FALSE(classes.is_error());
    if (classes.is_error())
        return out;
    for (auto const& row : classes.value())
        out[row.phase] += row.boundaries;
    return out;
}

} // namespace

TEST(CampaignMerge, SituationsAndPhasesMergeToTheUnshardedCampaigns)
{
    auto kernel = dummy_kernel();
    Campaign whole, s0, s1;
    ASSERT_NO_FATAL_FAILURE(walked_with_loss(shard_campaign(temp_path("whole"), kernel, ""), whole));
    ASSERT_NO_FATAL_FAILURE(walked_with_loss(shard_campaign(temp_path("s0"), kernel, "0/2"), s0));
    ASSERT_NO_FATAL_FAILURE(walked_with_loss(shard_campaign(temp_path("s1"), kernel, "1/2"), s1));
    auto situations = whole.db->situations().value();
    ASSERT_TRUE(situations.has_value());
    EXPECT_EQ(s0.db->situations().value(), situations) << "the run's counts are the same in every shard";

    auto out = temp_path("merged");
    auto merged = merge_shards({ s0.plan.out_dir, s1.plan.out_dir }, out);
    ASSERT_FALSE(merged.is_error()) << merged.error().message();
    auto db = ResultsDb::open(out + "/results.db").release_value();
    EXPECT_EQ(db.situations().value(), situations);
    auto by_phase = boundaries_by_phase(db);
    EXPECT_EQ(by_phase, boundaries_by_phase(*whole.db));
    EXPECT_GT(by_phase["commit.written"], 0u);

    // A shard written before phases and situations were recorded still merges (its classes
    // carry no phase); one that counts other situations is of another run.
    auto older = temp_path("older");
    copy_dir(s1.plan.out_dir, older);
    ASSERT_NO_FATAL_FAILURE(tamper(older + "/results.db", "DROP TABLE situations"));
    ASSERT_NO_FATAL_FAILURE(tamper(older + "/results.db", "ALTER TABLE loss_classes DROP COLUMN phase"));
    auto merged_older_dir = temp_path("merged-older");
    auto merged_older = merge_shards({ s0.plan.out_dir, older }, merged_older_dir);
    ASSERT_FALSE(merged_older.is_error()) << merged_older.error().message();
    auto older_db = ResultsDb::open(merged_older_dir + "/results.db");
    ASSERT_FALSE(older_db.is_error());
    EXPECT_EQ(older_db.value().situations().value(), situations) << "from the shard that has them";

    auto other = temp_path("other");
    copy_dir(s1.plan.out_dir, other);
    ASSERT_NO_FATAL_FAILURE(
        tamper(other + "/results.db", "UPDATE situations SET value = value + 1 WHERE name = 'wraps'"));
    auto refused = merge_shards({ s0.plan.out_dir, other }, temp_path("merged-other"));
    ASSERT_TRUE(refused.is_error());
    EXPECT_EQ(refused.error().code(), ErrorCode::Mismatch);
}

// What the reboot phase recorded in each shard comes through the merge: every reboot with the
// reboot checker's verdict on it, and the states and violations of a second cut during its
// recovery (depth 2). A state both shards rebooted is kept once, from the shard that met it
// first in the run, whatever the order of the shards.
TEST(CampaignMerge, KeepsEveryShardsRebootsTheirVerdictsAndTheirSecondCuts)
{
    auto kernel = dummy_kernel();
    Campaign s0, s1;
    ASSERT_NO_FATAL_FAILURE(walked(shard_campaign(temp_path("s0"), kernel, "0/2"), s0));
    ASSERT_NO_FATAL_FAILURE(walked(shard_campaign(temp_path("s1"), kernel, "1/2"), s1));
    auto r0 = s0.db->states(1).value();
    auto r1 = s1.db->states(1).value();
    ASSERT_FALSE(r0.empty());
    ASSERT_FALSE(r1.empty());
    auto reboot = [](ResultsDb& db, const StateRow& s, bool failed) {
        RebootRow row { s.hash, s.boundary, s.state, failed ? "self-check-failed" : "ready", failed ? 0u : 5000u, true,
            !failed };
        std::vector<ViolationRow> verdict;
        if (failed)
            verdict.push_back(ViolationRow { check::Invariant::R2, s.boundary, s.state, 1, Checker::Reboot,
                "token-" + std::to_string(s.boundary), "the kernel's self-check failed" });
        ASSERT_FALSE(db.add_reboot(row, verdict).is_error());
    };
    ASSERT_NO_FATAL_FAILURE(reboot(s0.db.value(), r0.front(), true));
    // A state of shard 1 that shard 0 did not reboot (the shards' states may overlap).
    auto own = std::find_if(
        r1.begin(), r1.end(), [&](const StateRow& s) { return s.hash != r0.front().hash && s.hash != r0.back().hash; });
    ASSERT_NE(own, r1.end());
    ASSERT_NE(r0.front().hash, r0.back().hash);
    ASSERT_NO_FATAL_FAILURE(reboot(s1.db.value(), *own, false));
    // The same state rebooted by both shards, as if shard 1 had met it later in the run.
    ASSERT_NO_FATAL_FAILURE(reboot(s0.db.value(), r0.back(), false));
    StateRow later = r0.back();
    later.boundary += 1;
    ASSERT_NO_FATAL_FAILURE(reboot(s1.db.value(), later, false));
    // A second cut during shard 1's rebooted recovery found a state that breaks R8.
    WalkProgress nested;
    nested.done = true;
    StateRow second { 0xabcdef, 17, 0, 2, { check::Invariant::R8 } };
    ViolationRow r8 { check::Invariant::R8, 17, 0, 2, Checker::Host, "nested-token", "after a cut during recovery" };
    ASSERT_FALSE(s1.db->commit_batch("nested:0000000000abcdef", { second }, { r8 }, nested).is_error());

    std::vector<std::string> merged_dirs { temp_path("merged"), temp_path("merged-reversed") };
    ASSERT_FALSE(merge_shards({ s0.plan.out_dir, s1.plan.out_dir }, merged_dirs[0]).is_error());
    ASSERT_FALSE(merge_shards({ s1.plan.out_dir, s0.plan.out_dir }, merged_dirs[1]).is_error());
    std::vector<WalkResults> results;
    std::vector<std::vector<RebootRow>> reboots;
    for (auto const& dir : merged_dirs) {
        auto db = ResultsDb::open(dir + "/results.db");
        ASSERT_FALSE(db.is_error());
        results.push_back(results_of(db.value()));
        reboots.push_back(db.value().reboots().value());
        auto violations = db.value().violations().value();
        auto count = [&](Checker checker, int depth) {
            return std::count_if(violations.begin(), violations.end(),
                [&](const ViolationRow& v) { return v.checker == checker && v.depth == depth; });
        };
        EXPECT_EQ(count(Checker::Reboot, 1), 1) << dir;
        EXPECT_EQ(count(Checker::Host, 2), 1) << dir;
        auto nested_states = db.value().states(2).value();
        ASSERT_EQ(nested_states.size(), 1u) << dir;
        EXPECT_EQ(nested_states[0].hash, 0xabcdefu);
        ASSERT_EQ(reboots.back().size(), 3u) << dir << ": the state rebooted twice is kept once";
        for (auto const& r : reboots.back()) {
            if (r.hash == r0.back().hash) {
                EXPECT_EQ(r.boundary, r0.back().boundary) << "the shard that met it first";
            }
        }
    }
    EXPECT_EQ(results[0].violations, results[1].violations);
    EXPECT_EQ(results[0].states, results[1].states);
    ASSERT_EQ(reboots[0].size(), reboots[1].size());
    for (size_t i = 0; i < reboots[0].size(); ++i)
        EXPECT_EQ(reboots[0][i].hash, reboots[1][i].hash);
}
