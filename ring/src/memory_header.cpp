#include <ferros/base/bytes.h>
#include <ferros/base/crc32c.h>
#include <ferros/ring/memory_header.h>

namespace ferros::ring {

namespace {

    // The CRC covers bytes [0, 28): everything in the header but the CRC itself.
    constexpr uint64_t kCrcOffset = 28;

} // namespace

void encode_memory_header(const MemoryHeader& header, uint8_t* out)
{
    store_le32(out + 0, header.size);
    store_le32(out + 4, header.handle_index);
    store_le32(out + 8, header.generation);
    store_le16(out + 12, header.type_tag);
    out[14] = static_cast<uint8_t>(header.kind);
    out[15] = header.flags;
    store_le64(out + 16, header.epoch);
    store_le32(out + 24, header.owner);
    store_le32(out + kCrcOffset, crc32c(0, out, kCrcOffset));
}

void encode_memory_pad(uint64_t length, uint8_t* out)
{
    store_le32(out + 0, static_cast<uint32_t>(length));
    store_le32(out + 4, kMemoryNoHandle);
    store_le32(out + 8, kMemoryPadMagic);
    store_le16(out + 12, 0);
    out[14] = static_cast<uint8_t>(MemoryRecordKind::Pad);
    out[15] = 0;
}

ErrorOr<MemoryHeader> decode_memory_header(const uint8_t* in, uint64_t room)
{
    if (room < kMemoryPadHeaderSize)
        return Error(ErrorCode::Corrupt, "memory ring: a record header crosses the arena's end");
    MemoryHeader header;
    header.size = load_le32(in + 0);
    header.handle_index = load_le32(in + 4);
    header.generation = load_le32(in + 8);
    header.type_tag = load_le16(in + 12);
    header.flags = in[15];
    if (in[14] == static_cast<uint8_t>(MemoryRecordKind::Pad)) {
        header.kind = MemoryRecordKind::Pad;
        if (header.handle_index != kMemoryNoHandle || header.generation != kMemoryPadMagic || header.type_tag != 0
            || header.flags != 0)
            return Error(ErrorCode::Corrupt, "memory ring: a pad header has a bad magic or nonzero fields");
        if (header.size < kMemoryPadHeaderSize || header.size % kMemoryAlignment != 0 || header.size > room)
            return Error(ErrorCode::Corrupt, "memory ring: a pad's length is unaligned or crosses the arena's end");
        return header;
    }
    if (in[14] != static_cast<uint8_t>(MemoryRecordKind::Allocation))
        return Error(ErrorCode::Corrupt, "memory ring: a record header has an unknown kind");
    if (room < kMemoryHeaderSize)
        return Error(ErrorCode::Corrupt, "memory ring: an allocation header crosses the arena's end");
    if (load_le32(in + kCrcOffset) != crc32c(0, in, kCrcOffset))
        return Error(ErrorCode::Corrupt, "memory ring: an allocation header fails its CRC");
    header.kind = MemoryRecordKind::Allocation;
    header.epoch = load_le64(in + 16);
    header.owner = load_le32(in + 24);
    if ((header.flags & ~kMemoryFlagPageAligned) != 0)
        return Error(ErrorCode::Corrupt, "memory ring: an allocation header has unknown flags");
    if (header.size == 0 || memory_record_footprint(header) > room)
        return Error(ErrorCode::Corrupt, "memory ring: an allocation is empty or crosses the arena's end");
    return header;
}

} // namespace ferros::ring
