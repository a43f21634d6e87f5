#include <ferros/abi/machine.h>
#include <ferros/campaign/oracle.h>

namespace ferros::campaign {

check::Operation to_operation(const abi::Op& op)
{
    check::Operation operation;
    operation.kind = op.code == abi::OpCode::Delete ? check::Operation::Kind::Delete : check::Operation::Kind::Put;
    operation.key.assign(reinterpret_cast<const char*>(op.key.data()), op.key.size());
    if (op.is_put()) {
        operation.value.resize(op.value_length);
        abi::materialize_value(op, Bytes(operation.value.data(), operation.value.size()));
    }
    return operation;
}

MarkerOracle::MarkerOracle(const abi::Workload& workload)
{
    for (auto cursor = workload.ops(); !cursor.at_end();)
        m_ops.push_back(cursor.next());
    m_effects.assign(m_ops.size(), Effect::None);
}

ErrorOr<void> MarkerOracle::take(uint64_t word)
{
    auto const payload = abi::marker_payload(word);
    switch (abi::marker_kind(word)) {
    case abi::MarkerKind::OpSubmitted:
        if (payload >= m_ops.size())
            return Error(ErrorCode::BadFormat, "op-submitted marker beyond the workload's last op");
        return submitted(static_cast<uint32_t>(payload));
    case abi::MarkerKind::OpFailed:
        if (!m_last_submitted || payload != *m_last_submitted)
            return Error(ErrorCode::BadFormat, "op-failed marker for an op that is not the last submitted");
        return failed(static_cast<uint32_t>(payload));
    case abi::MarkerKind::OpDurable:
        if (!m_last_submitted || payload != *m_last_submitted || m_ops[payload].code != abi::OpCode::Sync)
            return Error(ErrorCode::BadFormat, "op-durable marker that is not the last submitted sync");
        m_history.acknowledge();
        m_last_durable = static_cast<uint32_t>(payload);
        return {};
    default:
        return {};
    }
}

ErrorOr<void> MarkerOracle::submitted(uint32_t index)
{
    if (m_last_submitted ? index != *m_last_submitted + 1 : index != 0)
        return Error(ErrorCode::BadFormat, "op-submitted markers out of order");
    m_last_submitted = index;
    auto const& op = m_ops[index];
    switch (op.code) {
    case abi::OpCode::Put:
    case abi::OpCode::PutSeeded:
    case abi::OpCode::Delete:
        if (m_in_transaction) {
            m_open.ops.push_back(to_operation(op));
            m_effects[index] = Effect::JoinedTransaction;
        } else {
            check::Transaction single;
            single.ops.push_back(to_operation(op));
            m_history.submit(std::move(single));
            m_effects[index] = Effect::SubmittedTransaction;
        }
        return {};
    case abi::OpCode::Begin:
        m_open_before_begin = m_in_transaction;
        if (!m_in_transaction) {
            m_in_transaction = true;
            m_open = {};
            m_effects[index] = Effect::Opened;
        }
        return {};
    case abi::OpCode::Commit:
        if (m_in_transaction) {
            m_in_transaction = false;
            m_history.submit(std::move(m_open));
            m_open = {};
            m_effects[index] = Effect::SubmittedTransaction;
        }
        return {};
    case abi::OpCode::Sync:
    case abi::OpCode::Get:
        return {};
    }
    return {};
}

ErrorOr<void> MarkerOracle::failed(uint32_t index)
{
    switch (m_effects[index]) {
    case Effect::SubmittedTransaction:
        // The store refused the commit (NoSpace, TooBig) and dropped the transaction.
        m_history.withdraw_last();
        break;
    case Effect::JoinedTransaction:
        // The put or delete was refused; the transaction goes on without it.
        m_open.ops.pop_back();
        break;
    case Effect::Opened:
        // begin refused (it cannot be for Busy: we only open when none is open).
        m_in_transaction = m_open_before_begin;
        break;
    case Effect::Closed:
    case Effect::None:
        break;
    }
    m_effects[index] = Effect::None;
    return {};
}

} // namespace ferros::campaign
