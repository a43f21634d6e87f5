#include <ferros/ring/mem.h>
#include <ferros/storage/txn_op.h>

namespace ferros::storage {

using ring::kRecordHeaderSize;

ErrorOr<TxnOp> decode_txn_op(const uint8_t* record, uint64_t length, uint64_t offset)
{
    if (offset > length || length - offset < kTxnOpHeaderSize)
        return Error(ErrorCode::Corrupt, "txn operation outside the record");
    uint8_t const* op = record + offset;
    uint8_t const kind = op[0];
    uint8_t const key_length = op[1];
    uint32_t const value_length = load_le32(op + 4);
    if (kind != static_cast<uint8_t>(TxnOpKind::Put) && kind != static_cast<uint8_t>(TxnOpKind::Delete))
        return Error(ErrorCode::Corrupt, "txn operation kind");
    if (key_length < kMinKeyLength || load_le16(op + 2) != 0 || value_length > kMaxValueLength
        || (kind == static_cast<uint8_t>(TxnOpKind::Delete) && value_length != 0))
        return Error(ErrorCode::Corrupt, "txn operation");
    if (length - offset - kTxnOpHeaderSize < static_cast<uint64_t>(key_length) + value_length)
        return Error(ErrorCode::Corrupt, "txn operation outside the record");
    TxnOp decoded;
    decoded.kind = static_cast<TxnOpKind>(kind);
    decoded.key = ReadonlyBytes(op + kTxnOpHeaderSize, key_length);
    decoded.value = ReadonlyBytes(op + kTxnOpHeaderSize + key_length, value_length);
    decoded.offset = static_cast<uint32_t>(offset);
    return decoded;
}

uint64_t encode_txn_op(uint8_t* out, TxnOpKind kind, ReadonlyBytes key, ReadonlyBytes value)
{
    out[0] = static_cast<uint8_t>(kind);
    out[1] = static_cast<uint8_t>(key.size());
    store_le16(out + 2, 0);
    store_le32(out + 4, static_cast<uint32_t>(value.size()));
    ring::copy_bytes(out + kTxnOpHeaderSize, key.data(), key.size());
    ring::copy_bytes(out + kTxnOpHeaderSize + key.size(), value.data(), value.size());
    return kTxnOpHeaderSize + key.size() + value.size();
}

void encode_txn_payload_header(uint8_t* record, uint32_t count)
{
    store_le32(record + kRecordHeaderSize, count);
    store_le32(record + kRecordHeaderSize + 4, 0);
}

ErrorOr<TxnReader> TxnReader::create(const uint8_t* record, uint64_t length)
{
    if (length < kRecordHeaderSize + kTxnPayloadHeaderSize)
        return Error(ErrorCode::Corrupt, "txn record too short");
    uint32_t const count = load_le32(record + kRecordHeaderSize);
    if (count == 0 || count > kMaxTxnOps || load_le32(record + kRecordHeaderSize + 4) != 0)
        return Error(ErrorCode::Corrupt, "txn operation count");
    return TxnReader(record, length, count);
}

ErrorOr<TxnOp> TxnReader::next()
{
    if (done())
        return Error(ErrorCode::InvalidArgument, "no operation left in the record");
    auto const op = TRY(decode_txn_op(m_record, m_length, m_offset));
    m_offset += op.size();
    ++m_index;
    return op;
}

} // namespace ferros::storage
