#include <ferros/faults/get_answers.h>
#include <gtest/gtest.h>

using namespace ferros;
using ferros::check::History;
using ferros::check::Operation;
using ferros::check::Transaction;

namespace {

std::vector<uint8_t> bytes(const std::string& text) { return std::vector<uint8_t>(text.begin(), text.end()); }

Transaction put(const std::string& key, const std::string& value)
{
    return Transaction { { Operation { Operation::Kind::Put, key, bytes(value) } } };
}

Transaction del(const std::string& key) { return Transaction { { Operation { Operation::Kind::Delete, key, {} } } }; }

uint64_t value_payload(const std::string& value) { return faults::answer_payload(bytes(value)); }
uint64_t absent() { return faults::answer_payload(std::nullopt); }

} // namespace

TEST(GetAnswers, OnlyTheLatestValueIsRightWhileEverythingIsAcknowledged)
{
    History history;
    history.submit(put("k", "one"));
    history.submit(put("k", "two"));
    history.acknowledge();
    EXPECT_TRUE(faults::answer_is_right(history, "k", value_payload("two")));
    // Stale, corrupted, of another length, or absent: wrong.
    EXPECT_FALSE(faults::answer_is_right(history, "k", value_payload("one")));
    EXPECT_FALSE(faults::answer_is_right(history, "k", value_payload("twp")));
    EXPECT_FALSE(faults::answer_is_right(history, "k", value_payload("two!")));
    EXPECT_FALSE(faults::answer_is_right(history, "k", absent()));
    EXPECT_TRUE(faults::answer_is_right(history, "other", absent()));
}

TEST(GetAnswers, UnacknowledgedTransactionsMayOrMayNotBeSeen)
{
    // What a restart keeps is a prefix no shorter than the acknowledged one (R5): a get after
    // it may see any of those states, and no other.
    History history;
    history.submit(put("k", "one"));
    history.acknowledge();
    history.submit(put("k", "two"));
    history.submit(del("k"));
    EXPECT_TRUE(faults::answer_is_right(history, "k", value_payload("one")));
    EXPECT_TRUE(faults::answer_is_right(history, "k", value_payload("two")));
    EXPECT_TRUE(faults::answer_is_right(history, "k", absent()));
    EXPECT_FALSE(faults::answer_is_right(history, "k", value_payload("three")));
}

TEST(GetAnswers, ATransactionIsSeenWhole)
{
    History history;
    history.submit(Transaction {
        { Operation { Operation::Kind::Put, "k", bytes("a") }, Operation { Operation::Kind::Put, "k", bytes("b") } } });
    history.acknowledge();
    // The state after the transaction has the later put's value; the one in between is none.
    EXPECT_TRUE(faults::answer_is_right(history, "k", value_payload("b")));
    EXPECT_FALSE(faults::answer_is_right(history, "k", value_payload("a")));
    EXPECT_FALSE(faults::answer_is_right(history, "k", absent()));
}
