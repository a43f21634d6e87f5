#include <atomic>
#include <ferros/check/history.h>

namespace ferros::check {

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
    m_transactions.push_back(std::move(transaction));
    m_version = next_version();
}

void History::withdraw_last()
{
    m_version = next_version();
    if (m_transactions.size() > m_acknowledged) {
        m_transactions.pop_back();
        ++m_withdrawn;
    }
}

void History::acknowledge()
{
    m_version = next_version();
    for (size_t i = m_acknowledged; i < m_transactions.size(); ++i)
        apply(m_transactions[i], m_acknowledged_state);
    if (m_acknowledged != m_transactions.size())
        m_sync_points.push_back(m_acknowledged);
    m_acknowledged = m_transactions.size();
}

KeyValueState History::state_after(size_t count) const
{
    KeyValueState state;
    for (size_t i = 0; i < count && i < m_transactions.size(); ++i)
        apply(m_transactions[i], state);
    return state;
}

} // namespace ferros::check
