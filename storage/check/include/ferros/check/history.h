#pragma once
// The oracle: the transactions submitted to a store, in order, and how many of them were
// acknowledged durable (a sync() returned after their commit). The checker replays it to know
// which states a cut may leave.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ferros::check {

struct Operation {
    enum class Kind : uint8_t { Put, Delete };
    Kind kind { Kind::Put };
    std::string key;
    std::vector<uint8_t> value;
};

struct Transaction {
    std::vector<Operation> ops;
};

using KeyValueState = std::map<std::string, std::vector<uint8_t>>;

class History {
public:
    // A commit was issued (record before calling commit(): a cut may land inside it).
    void submit(Transaction transaction);
    // The last submitted commit was refused (NoSpace, TooBig): it never happened.
    void withdraw_last();
    // sync() returned: every transaction submitted so far is durable.
    void acknowledge();

    size_t submitted() const { return m_transactions.size(); }
    // Commits withdrawn so far (refused by the store).
    size_t withdrawn() const { return m_withdrawn; }
    size_t acknowledged() const { return m_acknowledged; }
    // Acknowledged count at each earlier sync, oldest first (to tell fresh from old data).
    const std::vector<size_t>& sync_points() const { return m_sync_points; }
    const std::vector<Transaction>& transactions() const { return m_transactions; }

    // The state after the first `count` transactions.
    KeyValueState state_after(size_t count) const;
    // The state after the acknowledged transactions (kept up to date, no replay).
    const KeyValueState& acknowledged_state() const { return m_acknowledged_state; }

    static void apply(const Transaction& transaction, KeyValueState& state);

    // Names this content: a new number at every change, kept by copies (which hold the same
    // content). A checker keys what it derives from a history by it.
    uint64_t version() const { return m_version; }
    // A hash of everything a check reads of this history (the transactions submitted, how
    // many are acknowledged, the sync points), equal for equal content whatever built it: a
    // checker that keeps verdicts beyond one history's lifetime keys them by it. Updated in
    // O(size of the change) at each change.
    uint64_t content_hash() const;

private:
    static uint64_t next_version();
    uint64_t m_version { next_version() };
    std::vector<Transaction> m_transactions;
    size_t m_acknowledged { 0 };
    size_t m_withdrawn { 0 };
    std::vector<size_t> m_sync_points;
    KeyValueState m_acknowledged_state;
    // The hash of the first i transactions at [i]: a withdrawal goes back one.
    std::vector<uint64_t> m_prefix_hashes { 0 };
    uint64_t m_sync_hash { 0 };
};

} // namespace ferros::check
