#include <ferros/campaign/results_db.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <sqlite3.h>

using namespace ferros;
using namespace ferros::campaign;

namespace {

std::string fresh(const char* name)
{
    auto path = std::string(FERROS_TEST_TMP) + "/" + name;
    for (auto suffix : { "", "-wal", "-shm" })
        std::filesystem::remove(path + suffix);
    return path;
}

} // namespace

TEST(ResultsDb, BatchesAndProgressSurviveReopening)
{
    auto path = fresh("results-a.db");
    {
        auto db = ResultsDb::open(path).release_value();
        EXPECT_TRUE(db.identity().value().empty());
        ASSERT_FALSE(db.set_identity({ { "policy", "cache:512:4" }, { "seed", "1" } }).is_error());
        WalkProgress p;
        p.next_boundary = 100;
        p.class_index = 7;
        p.boundaries = 100;
        p.classes = 7;
        p.states = 20;
        p.distinct = 2;
        p.checked = 2;
        std::vector<StateRow> states { { 11, 5, 0, 1, {} },
            { 0xffffffffffffffffULL, 9, 3, 1, { check::Invariant::R5, check::Invariant::R3 } } };
        std::vector<ViolationRow> violations { { check::Invariant::R3, 9, 3, 1, Checker::Host, "ferros1.x",
            "lost key k" } };
        ASSERT_FALSE(db.commit_batch("main", states, violations, p).is_error()) << db.last_error();
    }
    auto db = ResultsDb::open(path).release_value();
    EXPECT_EQ(db.identity().value().at("policy"), "cache:512:4");
    auto p = db.progress("main").value();
    EXPECT_EQ(p.next_boundary, 100u);
    EXPECT_EQ(p.class_index, 7u);
    EXPECT_EQ(p.checked, 2u);
    EXPECT_FALSE(p.done);
    auto hashes = db.state_hashes(1).value();
    ASSERT_EQ(hashes.size(), 2u);
    EXPECT_EQ(hashes[1], 0xffffffffffffffffULL) << "hashes keep all 64 bits";
    auto v = db.violations().value();
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].invariant, check::Invariant::R3);
    EXPECT_EQ(v[0].checker, Checker::Host);
    EXPECT_EQ(v[0].message, "lost key k");
    auto rows = db.states(1).value();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_TRUE(rows[0].invariants.empty());
    // Stored as IDs in the table's order, read back as the table's values.
    EXPECT_EQ(rows[1].invariants, (std::vector<check::Invariant> { check::Invariant::R3, check::Invariant::R5 }));
}

TEST(ResultsDb, RebootsAndNestedWalks)
{
    auto db = ResultsDb::open(fresh("results-b.db")).release_value();
    ASSERT_FALSE(db.add_reboot({ 42, 10, 1, "ready", 31000, true, true }, {}).is_error());
    EXPECT_EQ(db.reboots().value().at(0).ready_instructions, 31000u);
    EXPECT_FALSE(db.progress("nested:5").value().done);
    WalkProgress done;
    done.done = true;
    ASSERT_FALSE(db.commit_batch("nested:5", { { 5, 1, 1, 2, {} } }, {}, done).is_error());
    EXPECT_TRUE(db.progress("nested:5").value().done);
    EXPECT_FALSE(db.progress("main").value().done);
    EXPECT_EQ(db.state_hashes(2).value().size(), 1u);
}

TEST(ResultsDb, UnwritableLocationIsAnError) { EXPECT_TRUE(ResultsDb::open("/nonexistent/dir/results.db").is_error()); }

TEST(ResultsDb, LossClassesGoWithTheirBatchAndARepeatReplaces)
{
    auto path = fresh("results-c.db");
    auto db = ResultsDb::open(path).release_value();
    EXPECT_TRUE(db.loss_classes().value().empty());
    WalkProgress p;
    p.next_boundary = 300;
    std::vector<LossClassRow> classes { { 200, 100, 1, 3, 1500, 40, 16, { check::Invariant::R5 } },
        { 0, 200, 0, 0, 0, 0, 1, {} } };
    ASSERT_FALSE(db.commit_batch("loss", {}, {}, p, classes).is_error()) << db.last_error();
    // A pass that starts again after an interruption writes the same classes again.
    classes[0].states = 17;
    ASSERT_FALSE(db.commit_batch("loss", {}, {}, p, { classes[0] }).is_error()) << db.last_error();
    auto read = db.loss_classes().value();
    ASSERT_EQ(read.size(), 2u);
    EXPECT_EQ(read[0].first_boundary, 0u) << "in boundary order";
    EXPECT_EQ(read[1].first_boundary, 200u);
    EXPECT_EQ(read[1].boundaries, 100u);
    EXPECT_EQ(read[1].transactions, 1u);
    EXPECT_EQ(read[1].operations, 3u);
    EXPECT_EQ(read[1].bytes, 1500u);
    EXPECT_EQ(read[1].instructions_since_durable, 40u);
    EXPECT_EQ(read[1].states, 17u);
    EXPECT_EQ(read[1].invariants, std::vector<check::Invariant> { check::Invariant::R5 });
    EXPECT_EQ(db.progress("loss").value().next_boundary, 300u);
}

TEST(ResultsDb, SituationsAndPhasesRoundTrip)
{
    auto path = fresh("results-s.db");
    auto db = ResultsDb::open(path).release_value();
    EXPECT_FALSE(db.situations().value().has_value()) << "nothing recorded yet";
    RunSituations s;
    s.ring_length = 61440;
    s.ring_bytes = 320784;
    s.wraps = 5;
    s.relocated_bytes = 40848;
    s.refused_nospace = 69;
    ASSERT_FALSE(db.set_situations(s).is_error()) << db.last_error();
    s.cleaning_passes = 33; // a loss pass that runs again replaces them
    ASSERT_FALSE(db.set_situations(s).is_error()) << db.last_error();
    EXPECT_EQ(db.situations().value(), s);
    WalkProgress p;
    LossClassRow row { 0, 10, 0, 0, 0, 0, 2, {}, "checkpoint.anchor-written" };
    ASSERT_FALSE(db.commit_batch("loss", {}, {}, p, { row }).is_error()) << db.last_error();
    EXPECT_EQ(db.loss_classes().value().at(0).phase, "checkpoint.anchor-written");
}

TEST(ResultsDb, ADatabaseFromBeforePhasesGetsTheColumn)
{
    // loss_classes as the first version of the loss pass wrote it, with one class.
    auto path = fresh("results-old.db");
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                  "CREATE TABLE loss_classes(first_boundary INTEGER PRIMARY KEY, boundaries INTEGER NOT NULL, "
                  "transactions INTEGER NOT NULL, operations INTEGER NOT NULL, bytes INTEGER NOT NULL, "
                  "instructions_since_durable INTEGER NOT NULL, states INTEGER NOT NULL, invariants TEXT NOT NULL);"
                  "INSERT INTO loss_classes VALUES (0, 5, 0, 0, 0, 0, 1, '');",
                  nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(raw);
    auto db = ResultsDb::open(path);
    ASSERT_FALSE(db.is_error());
    auto classes = db.value().loss_classes();
    ASSERT_FALSE(classes.is_error()) << db.value().last_error();
    ASSERT_EQ(classes.value().size(), 1u);
    EXPECT_EQ(classes.value()[0].phase, "") << "a class recorded before phases were";
    EXPECT_FALSE(db.value().situations().value().has_value());
}
