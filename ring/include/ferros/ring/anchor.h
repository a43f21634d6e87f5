#pragma once
// The anchor: the root of everything durable, kept in a ring of kAnchorSlots fixed slots at
// the start of the device in the manner of ZFS's uberblock ring. Generation g is written to
// slot g % kAnchorSlots, so the newest valid anchor is never overwritten in place: a cut
// during an anchor write leaves at worst that one slot torn, and mount takes the valid slot
// with the highest generation. Mount reads all slots: a constant cost.

#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>
#include <ferros/ring/layout.h>
#include <ferros/ring/record.h>

namespace ferros::ring {

constexpr uint32_t kAnchorMagic = 0x4e415246; // "FRAN" little-endian
constexpr uint16_t kFormatVersion = 1;
constexpr uint64_t kAnchorSize = 128;
constexpr uint64_t kNoRoot = ~0ULL;

struct Anchor {
    uint64_t generation { 0 }; // grows by one per anchor written
    uint64_t epoch { 0 }; // grows by one per mount; records of a newer epoch are never written first
    uint64_t device_size { 0 };
    RingPosition tail; // oldest byte still in use
    RingPosition log_start; // first record not yet folded into the tree
    SequenceNumber log_sequence; // sequence number of the record at log_start
    RingPosition root { kNoRoot }; // root node of the index, or kNoRoot for an empty store
    uint32_t root_length { 0 };
    uint32_t root_level { 0 };
    uint64_t live_charge { 0 }; // the store's space accounting at log_start
    uint64_t tree_bytes { 0 }; // bytes of ring the index nodes occupy

    bool has_root() const { return root.value() != kNoRoot; }
    bool operator==(const Anchor&) const = default;
};

constexpr DeviceOffset anchor_slot_offset(uint64_t slot) { return DeviceOffset(slot * kAnchorSlotSize); }

// Encodes into exactly kAnchorSize bytes, CRC included.
void encode_anchor(const Anchor& anchor, uint8_t* out);
// Decodes a slot and checks it: magic, version, CRC (unless `verify` is No), device size and
// the ordering tail <= log_start <= tail + ring length, root inside [tail, log_start).
// Errors: NoAnchor for a slot that was never written (bad magic), Unsupported for another
// format version, Corrupt otherwise.
ErrorOr<Anchor> decode_anchor(const uint8_t* in, const Geometry& geometry, VerifyChecksum verify);

} // namespace ferros::ring
