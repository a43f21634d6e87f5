#include "interrupted_format.h"
#include <ferros/ring/anchor.h>

namespace ferros::kernel {

namespace {

    bool all_zero(ReadonlyBytes bytes)
    {
        for (uint8_t byte : bytes) {
            if (byte != 0)
                return false;
        }
        return true;
    }

} // namespace

ErrorOr<bool> is_interrupted_format(ring::Ssd& ssd, Bytes scratch)
{
    auto const geometry = TRY(ring::Geometry::create(ssd.size()));
    uint8_t slot[ring::kAnchorSize];
    for (uint64_t index = 0; index < ring::kAnchorSlots; ++index) {
        TRY(ssd.read(ring::anchor_slot_offset(index), Bytes(slot)));
        if (!ring::decode_anchor(slot, geometry, ring::VerifyChecksum::Yes).is_error())
            return false;
    }
    for (uint64_t offset = ring::kRingStart; offset < ssd.size();) {
        uint64_t const length = ssd.size() - offset < scratch.size() ? ssd.size() - offset : scratch.size();
        Bytes chunk = scratch.slice(0, length);
        TRY(ssd.read(DeviceOffset(offset), chunk));
        if (!all_zero(chunk))
            return false;
        offset += length;
    }
    return true;
}

} // namespace ferros::kernel
