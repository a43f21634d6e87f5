#pragma once
// The record: the one unit of the record ring. Every record carries a CRC32C over all of its
// bytes, a sequence number, its own logical position and the epoch (mount count) that wrote
// it; docs/storage-format.md gives the layout and why each field is there.

#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>
#include <ferros/ring/layout.h>

namespace ferros::ring {

enum class RecordType : uint8_t {
    Txn = 1, // one committed transaction: its puts (with values) and deletes
    Node = 2, // one B-tree node of the index
    Pad = 3, // filler up to the physical end of the ring
};

// Txn flag: the record only carries live values forward from the tail (ring rotation).
constexpr uint8_t kTxnFlagRelocation = 1;

constexpr uint32_t kRecordMagic = 0x43525246; // "FRRC" little-endian
constexpr uint64_t kRecordHeaderSize = 48;
// The largest record: one 64 KiB value with a 255-byte key and headers fits with room to spare.
constexpr uint64_t kMaxRecordSize = 68 * 1024;

// Whether to check CRCs. Always Yes, except where the `checksums-not-verified` seeded bug
// turns it off (storage/seeded_bugs.def).
enum class VerifyChecksum : uint8_t { No, Yes };

struct RecordHeader {
    RecordType type { RecordType::Pad };
    uint8_t flags { 0 };
    uint32_t length { 0 }; // header + payload, before alignment padding
    uint32_t crc { 0 };
    SequenceNumber sequence;
    RingPosition position;
    uint64_t epoch { 0 };
    uint64_t aux { 0 }; // Txn: the store's live charge after this commit; 0 otherwise
};

void encode_header(const RecordHeader& header, uint8_t* out);
// Decodes and checks what a header alone can show: magic, known type, reserved bits zero,
// kRecordHeaderSize <= length <= kMaxRecordSize. Errors: Corrupt.
ErrorOr<RecordHeader> decode_header(const uint8_t* in);
// CRC32C of `record` (its first `length` bytes) with the crc field taken as zero.
uint32_t record_crc(const uint8_t* record, uint64_t length);
// Computes the CRC of a fully built record (length from its header) and stores it.
void seal_record(uint8_t* record);
// The aligned space a record of `length` bytes takes in the ring.
constexpr uint64_t record_footprint(uint64_t length)
{
    return (length + kRecordAlignment - 1) & ~(kRecordAlignment - 1);
}

} // namespace ferros::ring
