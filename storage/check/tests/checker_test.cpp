// The checker's judgement: each invariant is reported when, and only when, it is broken.
#include <ferros/base/rng.h>
#include <ferros/check/checker.h>
#include <ferros/check/workload.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <gtest/gtest.h>
#include <string_view>

using namespace ferros;
using namespace ferros::check;

namespace {

Operation put(const char* key, uint8_t value) { return Operation { Operation::Kind::Put, key, { value } }; }

// Runs transactions (each committed, then one sync) and returns the device image.
std::vector<uint8_t> image_of(const std::vector<Transaction>& transactions)
{
    Workload workload;
    for (auto const& transaction : transactions)
        workload.push_back(Step { Step::Kind::Commit, transaction });
    workload.push_back(Step { Step::Kind::Sync, {} });
    storage::HostSsd ssd(64 * 1024);
    EXPECT_FALSE(storage::Store::format(ssd).is_error());
    History ignored;
    EXPECT_FALSE(run_workload(workload, ssd, {}, ignored).is_error());
    return std::vector<uint8_t>(ssd.model().durable().begin(), ssd.model().durable().end());
}

bool reports(const std::vector<Violation>& violations, Invariant invariant)
{
    for (auto const& violation : violations)
        if (violation.invariant == invariant)
            return true;
    return false;
}

} // namespace

TEST(Checker, AStateThatMatchesTheHistoryHasNoViolations)
{
    auto const image = image_of({ Transaction { { put("a", 1), put("b", 2) } }, Transaction { { put("c", 3) } } });
    History history;
    history.submit(Transaction { { put("a", 1), put("b", 2) } });
    history.submit(Transaction { { put("c", 3) } });
    history.acknowledge();
    EXPECT_TRUE(check_state(image, history).empty());
}

TEST(Checker, LostAcknowledgedCommitIsR3)
{
    auto const image = image_of({ Transaction { { put("a", 1) } } });
    History history;
    history.submit(Transaction { { put("a", 1) } });
    history.submit(Transaction { { put("ghost", 9) } });
    history.acknowledge();
    auto const violations = check_state(image, history);
    EXPECT_TRUE(reports(violations, Invariant::R3));
    EXPECT_TRUE(reports(violations, Invariant::R5)) << "the state is a prefix shorter than the acknowledged one";
}

TEST(Checker, UnacknowledgedSuffixMayBeLost)
{
    auto const image = image_of({ Transaction { { put("a", 1) } } });
    History history;
    history.submit(Transaction { { put("a", 1) } });
    history.acknowledge();
    history.submit(Transaction { { put("b", 2) } }); // never acknowledged: losing it is allowed
    EXPECT_TRUE(check_state(image, history).empty());
}

TEST(Checker, PartlyVisibleTransactionIsR4)
{
    // The image holds a and b; the history says a, b and c were one transaction.
    auto const image = image_of({ Transaction { { put("a", 1) } }, Transaction { { put("b", 2) } } });
    History history;
    history.submit(Transaction { { put("a", 1), put("b", 2), put("c", 3) } });
    auto const violations = check_state(image, history);
    EXPECT_TRUE(reports(violations, Invariant::R4));
}

TEST(Checker, DataNobodyWroteIsR6)
{
    auto const image = image_of({ Transaction { { put("a", 1) } }, Transaction { { put("z", 5) } } });
    History history;
    history.submit(Transaction { { put("a", 1) } });
    auto const violations = check_state(image, history);
    EXPECT_TRUE(reports(violations, Invariant::R6));
}

TEST(Checker, UnmountableImageIsR1)
{
    std::vector<uint8_t> image(64 * 1024, 0);
    History history;
    auto const violations = check_state(image, history);
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].invariant, Invariant::R1);
}

TEST(Checker, InvariantTableListsR1ToR9ThenR14InOrder)
{
    // R10-R13 are reserved (DESIGN.md sections 10-11): IDs are stable, never renumbered.
    std::vector<std::string> const ids { "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R14" };
    ASSERT_EQ(std::size(kInvariants), ids.size());
    for (size_t i = 0; i < std::size(kInvariants); ++i) {
        EXPECT_EQ(std::string_view(invariant_id(kInvariants[i])), ids[i]);
        EXPECT_GT(std::string_view(invariant_description(kInvariants[i])).size(), 20u);
    }
    EXPECT_EQ(std::string_view(invariant_name(Invariant::R3)), "durable");
    EXPECT_EQ(std::string_view(invariant_name(Invariant::R14)), "live");
    EXPECT_EQ(invariant_from_id("R14").value(), Invariant::R14);
}

TEST(History, ContentHashNamesTheContentWhateverBuiltIt)
{
    History a, b;
    EXPECT_EQ(a.content_hash(), b.content_hash());
    a.submit(Transaction { { put("a", 1) } });
    EXPECT_NE(a.content_hash(), b.content_hash());
    // A withdrawn commit leaves the content it found, though the version moved on.
    b.submit(Transaction { { put("a", 1) } });
    b.submit(Transaction { { put("b", 2) } });
    uint64_t const two = b.content_hash();
    b.withdraw_last();
    EXPECT_EQ(a.content_hash(), b.content_hash());
    EXPECT_NE(a.version(), b.version());
    // Every field counts: the value, the key, the kind, the acknowledged count.
    History value, key, kind;
    value.submit(Transaction { { put("a", 2) } });
    key.submit(Transaction { { put("b", 1) } });
    kind.submit(Transaction { { Operation { Operation::Kind::Delete, "a", {} } } });
    EXPECT_NE(value.content_hash(), a.content_hash());
    EXPECT_NE(key.content_hash(), a.content_hash());
    EXPECT_NE(kind.content_hash(), a.content_hash());
    // Two ops in one transaction are not two transactions of one op.
    History joined, split;
    joined.submit(Transaction { { put("a", 1), put("b", 2) } });
    split.submit(Transaction { { put("a", 1) } });
    split.submit(Transaction { { put("b", 2) } });
    EXPECT_NE(joined.content_hash(), split.content_hash());
    b.submit(Transaction { { put("b", 2) } });
    EXPECT_EQ(b.content_hash(), two);
    uint64_t const unacknowledged = b.content_hash();
    b.acknowledge();
    EXPECT_NE(b.content_hash(), unacknowledged);
}
