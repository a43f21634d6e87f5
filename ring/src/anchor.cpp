#include <ferros/base/bytes.h>
#include <ferros/base/crc32c.h>
#include <ferros/ring/anchor.h>
#include <ferros/ring/mem.h>

namespace ferros::ring {

void encode_anchor(const Anchor& anchor, uint8_t* out)
{
    fill_bytes(out, 0, kAnchorSize);
    store_le32(out + 0, kAnchorMagic);
    store_le16(out + 4, kFormatVersion);
    store_le64(out + 8, anchor.generation);
    store_le64(out + 16, anchor.epoch);
    store_le64(out + 24, anchor.device_size);
    store_le64(out + 32, anchor.tail.value());
    store_le64(out + 40, anchor.log_start.value());
    store_le64(out + 48, anchor.log_sequence.value());
    store_le64(out + 56, anchor.root.value());
    store_le32(out + 64, anchor.root_length);
    store_le32(out + 68, anchor.root_level);
    store_le64(out + 72, anchor.live_charge);
    store_le64(out + 80, anchor.tree_bytes);
    store_le32(out + kAnchorSize - 4, crc32c(0, out, kAnchorSize - 4));
}

ErrorOr<Anchor> decode_anchor(const uint8_t* in, const Geometry& geometry, VerifyChecksum verify)
{
    if (load_le32(in) != kAnchorMagic)
        return Error(ErrorCode::NoAnchor, "anchor magic");
    if (verify == VerifyChecksum::Yes && load_le32(in + kAnchorSize - 4) != crc32c(0, in, kAnchorSize - 4))
        return Error(ErrorCode::Corrupt, "anchor checksum");
    if (load_le16(in + 4) != kFormatVersion)
        return Error(ErrorCode::Unsupported, "anchor format version");
    Anchor anchor;
    anchor.generation = load_le64(in + 8);
    anchor.epoch = load_le64(in + 16);
    anchor.device_size = load_le64(in + 24);
    anchor.tail = RingPosition(load_le64(in + 32));
    anchor.log_start = RingPosition(load_le64(in + 40));
    anchor.log_sequence = SequenceNumber(load_le64(in + 48));
    anchor.root = RingPosition(load_le64(in + 56));
    anchor.root_length = load_le32(in + 64);
    anchor.root_level = load_le32(in + 68);
    anchor.live_charge = load_le64(in + 72);
    anchor.tree_bytes = load_le64(in + 80);

    if (anchor.device_size != geometry.device_size())
        return Error(ErrorCode::Corrupt, "anchor device size");
    uint64_t const tail = anchor.tail.value();
    uint64_t const log_start = anchor.log_start.value();
    if (log_start < tail || log_start - tail > geometry.ring_length())
        return Error(ErrorCode::Corrupt, "anchor tail and log start disagree");
    if (anchor.has_root()) {
        uint64_t const root = anchor.root.value();
        if (root < tail || root >= log_start || anchor.root_length < kRecordHeaderSize
            || anchor.root_length > kMaxRecordSize || anchor.root_level >= 16)
            return Error(ErrorCode::Corrupt, "anchor root outside the ring");
    }
    return anchor;
}

} // namespace ferros::ring
