#pragma once
// The memory ring's in-RAM record formats (docs/memory-ring.md has the byte-level picture).
// Every allocation starts with a 32-byte header; a pad (filler up to an alignment, up to the
// arena's end or up to a pinned island) is 16 bytes of header and any number of ignored bytes.
// Headers carry a CRC so that verify() and a later restore from a checkpoint can tell a header
// from stale bytes.

#include <ferros/base/error_or.h>

namespace ferros::ring {

constexpr uint64_t kMemoryAlignment = 16;
constexpr uint64_t kMemoryHeaderSize = 32;
constexpr uint64_t kMemoryPadHeaderSize = 16;
constexpr uint64_t kMemoryPageSize = 4096;
// A pad's generation field holds this instead of a generation ("FMPD" little-endian).
constexpr uint32_t kMemoryPadMagic = 0x44504d46;
constexpr uint32_t kMemoryNoHandle = 0xffffffff;

enum class MemoryRecordKind : uint8_t {
    Allocation = 1,
    Pad = 2,
};

// Allocation flag: the payload starts on a page boundary and its footprint is whole pages,
// so that it can be mapped into a process without exposing a neighbour.
constexpr uint8_t kMemoryFlagPageAligned = 1;

struct MemoryHeader {
    MemoryRecordKind kind { MemoryRecordKind::Pad };
    uint8_t flags { 0 };
    uint16_t type_tag { 0 };
    // Allocation: the payload size asked for. Pad: the bytes the pad covers, header included.
    uint32_t size { 0 };
    uint32_t handle_index { kMemoryNoHandle };
    uint32_t generation { kMemoryPadMagic };
    uint32_t owner { 0 };
    // The checkpoint epoch in which the payload (or its place in the ring) last changed.
    uint64_t epoch { 0 };
};

// Writes a full 32-byte allocation header, CRC included.
void encode_memory_header(const MemoryHeader& header, uint8_t* out);
// Writes a 16-byte pad header covering `length` bytes (a multiple of kMemoryAlignment, >= 16).
void encode_memory_pad(uint64_t length, uint8_t* out);
// Decodes and checks what the header alone can show: a known kind, reserved bits zero, the
// CRC (allocations) or the pad magic and a sane length (pads). `room` is the number of bytes
// up to the arena's end; the record must fit within it. Errors: Corrupt.
ErrorOr<MemoryHeader> decode_memory_header(const uint8_t* in, uint64_t room);
// The bytes an allocation's payload takes in the ring (header excluded).
constexpr uint64_t memory_payload_footprint(uint64_t size, uint8_t flags)
{
    uint64_t const unit = (flags & kMemoryFlagPageAligned) ? kMemoryPageSize : kMemoryAlignment;
    return (size + unit - 1) & ~(unit - 1);
}
// The bytes a record takes in the ring, header included.
constexpr uint64_t memory_record_footprint(const MemoryHeader& header)
{
    if (header.kind == MemoryRecordKind::Pad)
        return header.size;
    return kMemoryHeaderSize + memory_payload_footprint(header.size, header.flags);
}

} // namespace ferros::ring
