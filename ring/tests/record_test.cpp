#include <ferros/ring/record.h>
#include <gtest/gtest.h>
#include <vector>

using namespace ferros;
using namespace ferros::ring;

TEST(Record, HeaderRoundTripsAndSealDetectsDamage)
{
    std::vector<uint8_t> record(100, 0x5a);
    RecordHeader header { RecordType::Txn, kTxnFlagRelocation, 100, 0, SequenceNumber(7), RingPosition(4096), 3, 99 };
    encode_header(header, record.data());
    seal_record(record.data());
    auto decoded = decode_header(record.data()).value();
    EXPECT_EQ(decoded.type, RecordType::Txn);
    EXPECT_EQ(decoded.flags, kTxnFlagRelocation);
    EXPECT_EQ(decoded.length, 100u);
    EXPECT_EQ(decoded.sequence, SequenceNumber(7));
    EXPECT_EQ(decoded.position, RingPosition(4096));
    EXPECT_EQ(decoded.epoch, 3u);
    EXPECT_EQ(decoded.aux, 99u);
    EXPECT_EQ(decoded.crc, record_crc(record.data(), 100));

    record[80] ^= 1;
    EXPECT_NE(decoded.crc, record_crc(record.data(), 100)) << "a flipped payload bit changes the CRC";
}

TEST(Record, DecodeRefusesImpossibleHeaders)
{
    std::vector<uint8_t> record(kRecordHeaderSize, 0);
    EXPECT_EQ(decode_header(record.data()).error().code(), ErrorCode::Corrupt) << "zeroes are not a record";
    RecordHeader header { RecordType::Pad, 0, 20, 0, SequenceNumber(1), RingPosition(0), 0, 0 };
    encode_header(header, record.data());
    EXPECT_TRUE(decode_header(record.data()).is_error()) << "shorter than a header";
    header.length = kMaxRecordSize + 1;
    encode_header(header, record.data());
    EXPECT_TRUE(decode_header(record.data()).is_error()) << "longer than the largest record";
    header.length = 64;
    encode_header(header, record.data());
    record[4] = 9;
    EXPECT_TRUE(decode_header(record.data()).is_error()) << "unknown type";
}
