#include <ferros/kernel/interrupted_format.h>
#include <ferros/ring/anchor.h>

namespace ferros::kernel {

namespace {

    using Word = uint64_t __attribute__((may_alias));

    // Word by word where alignment allows: this path scans the whole device, and the campaign
    // boots it once for every cut that lands in a format.
    bool all_zero(ReadonlyBytes bytes)
    {
        size_t i = 0;
        uint64_t seen = 0;
        for (; i < bytes.size() && (reinterpret_cast<uintptr_t>(bytes.data() + i) & 7) != 0; ++i)
            seen |= bytes[i];
        for (; i + 8 <= bytes.size(); i += 8)
            seen |= *reinterpret_cast<const Word*>(bytes.data() + i);
        for (; i < bytes.size(); ++i)
            seen |= bytes[i];
        return seen == 0;
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
