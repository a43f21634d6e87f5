#include <atomic>
#include <ferros/check/history.h>
#include <ferros/crash/content_hash.h>

namespace ferros::check {

namespace {

    constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

    uint64_t bytes_of(std::string_view text, uint64_t seed)
    {
        return crash::bytes_hash(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()), seed);
    }

    // XXH3 takes a byte string's length into its hash, and each field's seed holds everything
    // before it: kind, key and value of every op, in order.
    uint64_t transaction_hash(const Transaction& transaction, uint64_t previous)
    {
        uint64_t hash = previous * kGolden + transaction.ops.size();
        for (auto const& op : transaction.ops) {
            hash = bytes_of(op.key, hash * kGolden + static_cast<uint64_t>(op.kind) + 1);
            hash = crash::bytes_hash(op.value, hash);
        }
        return crash::bytes_hash({}, hash);
    }

} // namespace

void History::apply(const Transaction& transaction, KeyValueState& state)
{
    for (auto const& op : transaction.ops) {
        if (op.kind == Operation::Kind::Put)
            state[op.key] = op.value;
        else
            state.erase(op.key);
    }
}

uint64_t History::next_version()
{
    static std::atomic<uint64_t> counter { 0 };
    return ++counter;
}

void History::submit(Transaction transaction)
{
    m_prefix_hashes.push_back(transaction_hash(transaction, m_prefix_hashes.back()));
    m_transactions.push_back(std::move(transaction));
    m_version = next_version();
}

void History::withdraw_last()
{
    m_version = next_version();
    if (m_transactions.size() > m_acknowledged) {
        m_transactions.pop_back();
        m_prefix_hashes.pop_back();
        ++m_withdrawn;
    }
}

void History::acknowledge()
{
    m_version = next_version();
    for (size_t i = m_acknowledged; i < m_transactions.size(); ++i)
        apply(m_transactions[i], m_acknowledged_state);
    if (m_acknowledged != m_transactions.size()) {
        m_sync_points.push_back(m_acknowledged);
        m_sync_hash = (m_sync_hash + m_acknowledged + 1) * kGolden;
    }
    m_acknowledged = m_transactions.size();
}

uint64_t History::content_hash() const
{
    uint64_t const fields[3] = { m_prefix_hashes.back(), m_acknowledged, m_sync_hash };
    return crash::bytes_hash(std::span(reinterpret_cast<const uint8_t*>(fields), sizeof fields), 0);
}

KeyValueState History::state_after(size_t count) const
{
    KeyValueState state;
    for (size_t i = 0; i < count && i < m_transactions.size(); ++i)
        apply(m_transactions[i], state);
    return state;
}

} // namespace ferros::check
