#pragma once
// The payload of a Txn record (docs/storage-format.md, section 3): the one decoder and the one
// encoder of a transaction's operations. Mount's replay, the cleaner, commit's accounting and
// the host checker all read operations through TxnReader, so a record means the same thing
// to each of them.
//   payload:   count u32 (1..kMaxTxnOps), reserved u32 (0), then `count` operations
//   operation: kind u8, key_length u8 (1..255), reserved u16 (0), value_length u32
//              (<= kMaxValueLength; 0 for a delete), key bytes, value bytes

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/ring/record.h>
#include <ferros/storage/limits.h>

namespace ferros::storage {

enum class TxnOpKind : uint8_t {
    Put = 1,
    Delete = 2,
};

// One decoded operation; key and value point into the record.
struct TxnOp {
    TxnOpKind kind { TxnOpKind::Put };
    ReadonlyBytes key;
    ReadonlyBytes value; // empty for a delete
    uint32_t offset { 0 }; // of the operation, from the start of the record

    // Where the value bytes start, from the start of the record (a ValueRef's offset).
    uint32_t value_offset() const { return static_cast<uint32_t>(offset + kTxnOpHeaderSize + key.size()); }
    // Bytes the operation takes in the record.
    uint64_t size() const { return kTxnOpHeaderSize + key.size() + value.size(); }
};

// Decodes the operation at `offset` of a Txn record of `length` bytes and checks what it
// alone can show: a known kind, key and value lengths within the limits, reserved bytes
// zero, no value on a delete, and every byte inside the record. Errors: Corrupt.
ErrorOr<TxnOp> decode_txn_op(const uint8_t* record, uint64_t length, uint64_t offset);

// Writes the operation's header, key and value at `out`; returns the bytes written. The
// caller has checked the limits and that the record has room.
uint64_t encode_txn_op(uint8_t* out, TxnOpKind kind, ReadonlyBytes key, ReadonlyBytes value);

// Walks the operations of a Txn record in order.
//   auto reader = TRY(TxnReader::create(record, length));
//   while (!reader.done()) { auto op = TRY(reader.next()); ... }
class TxnReader {
public:
    // Checks the payload header: room for it, count 1..kMaxTxnOps, reserved zero.
    // Errors: Corrupt.
    static ErrorOr<TxnReader> create(const uint8_t* record, uint64_t length);

    uint32_t count() const { return m_count; }
    bool done() const { return m_index == m_count; }
    // The next operation. Errors: Corrupt (see decode_txn_op); InvalidArgument after done().
    ErrorOr<TxnOp> next();
    // Offset just past the operations read so far: equals the record's length after the last
    // operation of a well-formed record.
    uint64_t offset() const { return m_offset; }

private:
    TxnReader(const uint8_t* record, uint64_t length, uint32_t count)
        : m_record(record)
        , m_length(length)
        , m_count(count)
    {
    }
    const uint8_t* m_record;
    uint64_t m_length;
    uint32_t m_count;
    uint32_t m_index { 0 };
    uint64_t m_offset { ring::kRecordHeaderSize + kTxnPayloadHeaderSize };
};

// Writes the payload header of a Txn record of `count` operations.
void encode_txn_payload_header(uint8_t* record, uint32_t count);

} // namespace ferros::storage
