// The one decoder of a Txn record's operations: what the encoder writes decodes back, and
// every malformed operation is refused with Corrupt, never read past the record.
#include <ferros/base/bytes.h>
#include <ferros/storage/txn_op.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ferros;
using namespace ferros::storage;

namespace {

ReadonlyBytes bytes_of(const std::string& s)
{
    return ReadonlyBytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string text_of(ReadonlyBytes bytes)
{
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// A Txn record (header left zero: the decoder reads only the payload) of a put and a delete.
std::vector<uint8_t> two_ops()
{
    std::vector<uint8_t> record(ring::kRecordHeaderSize + kTxnPayloadHeaderSize);
    uint8_t op[kTxnOpHeaderSize + 64];
    uint64_t n = encode_txn_op(op, TxnOpKind::Put, bytes_of("alpha"), bytes_of("value-1"));
    record.insert(record.end(), op, op + n);
    n = encode_txn_op(op, TxnOpKind::Delete, bytes_of("beta"), ReadonlyBytes());
    record.insert(record.end(), op, op + n);
    encode_txn_payload_header(record.data(), 2);
    return record;
}

constexpr uint64_t kFirstOp = ring::kRecordHeaderSize + kTxnPayloadHeaderSize;

} // namespace

TEST(TxnOp, EncodedOperationsDecodeBack)
{
    auto const record = two_ops();
    auto reader = TxnReader::create(record.data(), record.size()).release_value();
    EXPECT_EQ(reader.count(), 2u);

    auto const put = reader.next().release_value();
    EXPECT_EQ(put.kind, TxnOpKind::Put);
    EXPECT_EQ(text_of(put.key), "alpha");
    EXPECT_EQ(text_of(put.value), "value-1");
    EXPECT_EQ(put.offset, kFirstOp);
    EXPECT_EQ(put.value_offset(), kFirstOp + kTxnOpHeaderSize + 5);
    EXPECT_EQ(put.size(), kTxnOpHeaderSize + 5 + 7);

    auto const remove = reader.next().release_value();
    EXPECT_EQ(remove.kind, TxnOpKind::Delete);
    EXPECT_EQ(text_of(remove.key), "beta");
    EXPECT_TRUE(remove.value.empty());
    EXPECT_TRUE(reader.done());
    EXPECT_EQ(reader.offset(), record.size()) << "the operations fill the record exactly";

    auto const past = reader.next();
    ASSERT_TRUE(past.is_error());
    EXPECT_EQ(past.error().code(), ErrorCode::InvalidArgument);
}

TEST(TxnOp, UnknownKindIsRefused)
{
    for (uint8_t kind : { 0, 3, 0xff }) {
        auto record = two_ops();
        record[kFirstOp] = kind;
        auto const op = decode_txn_op(record.data(), record.size(), kFirstOp);
        ASSERT_TRUE(op.is_error()) << int(kind);
        EXPECT_EQ(op.error().code(), ErrorCode::Corrupt);
    }
}

TEST(TxnOp, TruncatedOperationIsRefused)
{
    auto const record = two_ops();
    // Cut inside the second operation's header, key, and (for the first) value.
    uint64_t const second = kFirstOp + kTxnOpHeaderSize + 5 + 7;
    for (uint64_t length : { second + 3, second + kTxnOpHeaderSize + 2, kFirstOp + kTxnOpHeaderSize + 5 + 6 }) {
        auto reader = TxnReader::create(record.data(), length).release_value();
        ErrorOr<TxnOp> op = Error(ErrorCode::InvalidArgument);
        while (!reader.done()) {
            op = reader.next();
            if (op.is_error())
                break;
        }
        ASSERT_TRUE(op.is_error()) << "record cut to " << length << " bytes";
        EXPECT_EQ(op.error().code(), ErrorCode::Corrupt);
    }
    // An offset past the record, and a record too short for its payload header.
    EXPECT_EQ(decode_txn_op(record.data(), record.size(), record.size() + 1).error().code(), ErrorCode::Corrupt);
    EXPECT_EQ(TxnReader::create(record.data(), kFirstOp - 1).error().code(), ErrorCode::Corrupt);
}

TEST(TxnOp, MalformedFieldsAreRefused)
{
    struct Case {
        const char* what;
        void (*damage)(std::vector<uint8_t>&);
    };
    Case const cases[] = {
        { "empty key", [](std::vector<uint8_t>& r) { r[kFirstOp + 1] = 0; } },
        { "reserved bytes", [](std::vector<uint8_t>& r) { r[kFirstOp + 2] = 1; } },
        { "value over 64 KiB",
            [](std::vector<uint8_t>& r) { store_le32(r.data() + kFirstOp + 4, kMaxValueLength + 1); } },
        { "delete with a value",
            [](std::vector<uint8_t>& r) { store_le32(r.data() + kFirstOp + 5 + 7 + kTxnOpHeaderSize + 4, 1); } },
    };
    for (auto const& c : cases) {
        auto record = two_ops();
        c.damage(record);
        auto reader = TxnReader::create(record.data(), record.size()).release_value();
        auto first = reader.next();
        auto const failed = first.is_error() ? first : reader.next();
        ASSERT_TRUE(failed.is_error()) << c.what;
        EXPECT_EQ(failed.error().code(), ErrorCode::Corrupt) << c.what;
    }
}

TEST(TxnOp, PayloadHeaderIsChecked)
{
    auto record = two_ops();
    for (uint32_t count : { 0u, static_cast<uint32_t>(kMaxTxnOps) + 1 }) {
        store_le32(record.data() + ring::kRecordHeaderSize, count);
        EXPECT_EQ(TxnReader::create(record.data(), record.size()).error().code(), ErrorCode::Corrupt) << count;
    }
    encode_txn_payload_header(record.data(), 2);
    store_le32(record.data() + ring::kRecordHeaderSize + 4, 1);
    EXPECT_EQ(TxnReader::create(record.data(), record.size()).error().code(), ErrorCode::Corrupt);
}
