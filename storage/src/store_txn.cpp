// Store: transactions, commit, sync and the appender.
#include <ferros/ring/mem.h>
#include <ferros/storage/store.h>
#include <ferros/storage/txn_op.h>

namespace ferros::storage {

using ring::kRecordHeaderSize;
using ring::RingPosition;

ErrorOr<void> Store::begin()
{
    TRY(usable());
    if (m_txn_open)
        return Error(ErrorCode::Busy);
    m_txn_open = true;
    m_txn_length = kRecordHeaderSize + kTxnPayloadHeaderSize;
    m_txn_ops = 0;
    m_txn_key_bytes = 0;
    m_txn_user_bytes = 0;
    return {};
}

void Store::abort() { m_txn_open = false; }

static ErrorOr<void> check_op(bool open, uint32_t ops, ReadonlyBytes key, size_t value_length)
{
    if (!open)
        return Error(ErrorCode::NoTransaction);
    if (key.size() < kMinKeyLength || key.size() > kMaxKeyLength)
        return Error(ErrorCode::TooBig, "key must be 1 to 255 bytes");
    if (value_length > kMaxValueLength)
        return Error(ErrorCode::TooBig, "value larger than 64 KiB");
    if (ops >= kMaxTxnOps)
        return Error(ErrorCode::TooBig, "more operations than kMaxTxnOps in one transaction");
    return {};
}

ErrorOr<void> Store::put(ReadonlyBytes key, ReadonlyBytes value)
{
    TRY(usable());
    TRY(check_op(m_txn_open, m_txn_ops, key, value.size()));
    uint64_t const size = kTxnOpHeaderSize + key.size() + value.size();
    if (m_txn_length + size > max_record())
        return Error(ErrorCode::TooBig, "transaction larger than the largest record of this device");
    m_txn_length += encode_txn_op(m_txn + m_txn_length, TxnOpKind::Put, key, value);
    m_txn_ops++;
    m_txn_key_bytes += key.size();
    m_txn_user_bytes += key.size() + value.size();
    return {};
}

ErrorOr<void> Store::remove(ReadonlyBytes key)
{
    TRY(usable());
    TRY(check_op(m_txn_open, m_txn_ops, key, 0));
    uint64_t const size = kTxnOpHeaderSize + key.size();
    if (m_txn_length + size > max_record())
        return Error(ErrorCode::TooBig, "transaction larger than the largest record of this device");
    m_txn_length += encode_txn_op(m_txn + m_txn_length, TxnOpKind::Delete, key, ReadonlyBytes());
    m_txn_ops++;
    m_txn_key_bytes += key.size();
    m_txn_user_bytes += key.size();
    return {};
}

ErrorOr<void> Store::commit()
{
    TRY(usable());
    if (!m_txn_open)
        return Error(ErrorCode::NoTransaction);
    m_txn_open = false;
    if (m_txn_ops == 0)
        return {};

    encode_txn_payload_header(m_txn, m_txn_ops);
    store_le32(m_txn + 8, static_cast<uint32_t>(m_txn_length));

    // The charge after this commit: each operation replaces the key's current charge (an
    // earlier operation of this transaction on the same key counts as current).
    auto charge_of = [](const TxnOp& op) -> int64_t {
        return op.kind == TxnOpKind::Put ? static_cast<int64_t>(storage::live_charge(op.key.size(), op.value.size()))
                                         : 0;
    };
    int64_t delta = 0;
    auto reader = TRY(TxnReader::create(m_txn, m_txn_length));
    for (uint32_t i = 0; i < reader.count(); ++i) {
        auto const op = TRY(reader.next());
        int64_t current = -1;
        auto earlier = TRY(TxnReader::create(m_txn, m_txn_length));
        for (uint32_t j = 0; j < i; ++j) {
            auto const other = TRY(earlier.next());
            if (other.key.size() == op.key.size()
                && __builtin_memcmp(other.key.data(), op.key.data(), op.key.size()) == 0)
                current = charge_of(other);
        }
        if (current < 0) {
            ValueRef ref;
            auto found = lookup(op.key, ref);
            if (found.is_error())
                return fail(found.release_error());
            current = found.value() ? static_cast<int64_t>(storage::live_charge(op.key.size(), ref.length)) : 0;
        }
        delta += charge_of(op) - current;
    }
    uint64_t const charge = static_cast<uint64_t>(static_cast<int64_t>(m_live_charge) + delta);
    if (delta > 0 && charge > capacity())
        return Error(ErrorCode::NoSpace, "store full");

    uint64_t const footprint = ring::record_footprint(m_txn_length);
    auto room = ensure_room(footprint, m_txn_ops, m_txn_key_bytes);
    if (room.is_error())
        return room.release_error();

    auto position = append(m_txn, ring::RecordType::Txn, 0, charge);
    if (position.is_error())
        return fail(position.release_error());
    auto applied = apply_txn(m_txn, m_txn_length, position.value());
    if (applied.is_error())
        return fail(applied.release_error());
    m_live_charge = charge;
    m_write_stats.user_bytes += m_txn_user_bytes;
    m_write_stats.txn_bytes += footprint;
    return {};
}

ErrorOr<void> Store::sync()
{
    TRY(usable());
    if (m_options.bug == SeededBug::SyncWithoutFlush)
        return {};
    auto flushed = m_ssd.flush();
    if (flushed.is_error())
        return fail(flushed.release_error());
    return {};
}

ErrorOr<RingPosition> Store::append_node(uint8_t* record)
{
    auto position = TRY(append(record, ring::RecordType::Node, 0, 0));
    if (!m_dry_run)
        m_write_stats.node_bytes += ring::record_footprint(load_le32(record + 8));
    return position;
}

ErrorOr<RingPosition> Store::append(uint8_t* record, ring::RecordType type, uint8_t flags, uint64_t aux)
{
    uint32_t const length = load_le32(record + 8);
    uint64_t const footprint = ring::record_footprint(length);
    uint64_t const limit = m_anchor.tail.value() + m_geometry.ring_length();
    uint64_t const room = m_geometry.room_before_end(m_head);
    if (room < footprint) {
        // Records never straddle the physical end: a Pad record says "next lap" (when there
        // is room for its header; with less, readers skip to the next lap by themselves).
        if (m_head.value() + room > limit)
            return Error(ErrorCode::NoSpace, "ring full");
        if (room >= kRecordHeaderSize) {
            uint8_t pad[kRecordHeaderSize];
            ring::RecordHeader header { ring::RecordType::Pad, 0, static_cast<uint32_t>(kRecordHeaderSize), 0,
                m_next_sequence, m_head, m_epoch, 0 };
            ring::encode_header(header, pad);
            ring::seal_record(pad);
            if (!m_dry_run) {
                TRY(write_record_checked(m_geometry.offset_of(m_head), pad, header));
                m_write_stats.pad_bytes += kRecordHeaderSize;
            }
            m_next_sequence = SequenceNumber(m_next_sequence.value() + 1);
        }
        m_head = RingPosition(m_head.value() + room);
    }
    if (m_head.value() + footprint > limit)
        return Error(ErrorCode::NoSpace, "ring full");
    ring::RecordHeader header { type, flags, length, 0, m_next_sequence, m_head, m_epoch, aux };
    ring::encode_header(header, record);
    ring::seal_record(record);
    if (!m_dry_run) {
        TRY(write_record_checked(m_geometry.offset_of(m_head), record, header));
    }
    RingPosition const position = m_head;
    m_head = RingPosition(m_head.value() + footprint);
    m_next_sequence = SequenceNumber(m_next_sequence.value() + 1);
    return position;
}

} // namespace ferros::storage
