#pragma once
// Where things live on the device (docs/storage-format.md has the byte-level picture).
//   [0, 4096)      the anchor ring: kAnchorSlots slots of kAnchorSlotSize bytes
//   [4096, size)   the record ring, addressed by logical position (RingPosition)
// A logical position grows forever; the byte it names is ring_start + position % ring_length.
// Records never straddle the physical end of the ring (see Geometry::room_before_end).

#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>

namespace ferros::ring {

struct RingPositionTag;
// Logical position in the record ring: monotonic across laps, so a stale record from an
// earlier lap can never be mistaken for the one expected at a position.
using RingPosition = Strong<RingPositionTag>;

constexpr uint64_t kAnchorSlots = 8;
constexpr uint64_t kAnchorSlotSize = 512; // one sector: an anchor never shares a 512-byte unit
constexpr uint64_t kRingStart = kAnchorSlots * kAnchorSlotSize;
constexpr uint64_t kRecordAlignment = 16;
constexpr uint64_t kMinDeviceSize = 64 * 1024;
constexpr uint64_t kMaxDeviceSize = 1ULL << 40;
constexpr uint64_t kDeviceGranule = 4096;

class Geometry {
public:
    // Errors: InvalidArgument unless kMinDeviceSize <= size <= kMaxDeviceSize and size is a
    // multiple of kDeviceGranule.
    static ErrorOr<Geometry> create(uint64_t device_size)
    {
        if (device_size < kMinDeviceSize || device_size > kMaxDeviceSize || device_size % kDeviceGranule != 0)
            return Error(ErrorCode::InvalidArgument, "device size must be a multiple of 4 KiB, 64 KiB to 1 TiB");
        return Geometry(device_size);
    }
    constexpr uint64_t device_size() const { return m_device_size; }
    constexpr uint64_t ring_length() const { return m_device_size - kRingStart; }
    constexpr DeviceOffset offset_of(RingPosition position) const
    {
        return DeviceOffset(kRingStart + position.value() % ring_length());
    }
    // Bytes from `position` to the physical end of the ring.
    constexpr uint64_t room_before_end(RingPosition position) const
    {
        return ring_length() - position.value() % ring_length();
    }

private:
    constexpr explicit Geometry(uint64_t device_size)
        : m_device_size(device_size)
    {
    }
    uint64_t m_device_size;
};

} // namespace ferros::ring
