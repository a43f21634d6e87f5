#include <ferros/base/bytes.h>
#include <ferros/base/crc32c.h>
#include <ferros/ring/record.h>

namespace ferros::ring {

void encode_header(const RecordHeader& header, uint8_t* out)
{
    store_le32(out + 0, kRecordMagic);
    out[4] = static_cast<uint8_t>(header.type);
    out[5] = header.flags;
    store_le16(out + 6, 0);
    store_le32(out + 8, header.length);
    store_le32(out + 12, header.crc);
    store_le64(out + 16, header.sequence.value());
    store_le64(out + 24, header.position.value());
    store_le64(out + 32, header.epoch);
    store_le64(out + 40, header.aux);
}

ErrorOr<RecordHeader> decode_header(const uint8_t* in)
{
    if (load_le32(in) != kRecordMagic)
        return Error(ErrorCode::Corrupt, "record magic");
    RecordHeader header;
    uint8_t const type = in[4];
    if (type < static_cast<uint8_t>(RecordType::Txn) || type > static_cast<uint8_t>(RecordType::Pad))
        return Error(ErrorCode::Corrupt, "record type");
    header.type = static_cast<RecordType>(type);
    header.flags = in[5];
    if (load_le16(in + 6) != 0 || (header.flags & ~kTxnFlagRelocation) != 0)
        return Error(ErrorCode::Corrupt, "record reserved bits");
    header.length = load_le32(in + 8);
    if (header.length < kRecordHeaderSize || header.length > kMaxRecordSize)
        return Error(ErrorCode::Corrupt, "record length");
    header.crc = load_le32(in + 12);
    header.sequence = SequenceNumber(load_le64(in + 16));
    header.position = RingPosition(load_le64(in + 24));
    header.epoch = load_le64(in + 32);
    header.aux = load_le64(in + 40);
    return header;
}

uint32_t record_crc(const uint8_t* record, uint64_t length)
{
    static constexpr uint8_t zero[4] = {};
    uint32_t crc = crc32c(0, record, 12);
    crc = crc32c(crc, zero, 4);
    return crc32c(crc, record + 16, length - 16);
}

void seal_record(uint8_t* record)
{
    uint32_t const length = load_le32(record + 8);
    store_le32(record + 12, record_crc(record, length));
}

} // namespace ferros::ring
