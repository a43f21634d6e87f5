#pragma once
// Distinct types for distinct numbers (SerenityOS PhysicalAddress): boundary indices, ring
// offsets, sequence numbers and physical addresses must not be mixed up silently.

#include <compare>
#include <stdint.h>

namespace ferros {

template<typename Tag, typename T = uint64_t>
class Strong {
public:
    using ValueType = T;
    constexpr Strong() = default;
    constexpr explicit Strong(T value)
        : m_value(value)
    {
    }
    constexpr T value() const { return m_value; }
    constexpr auto operator<=>(const Strong&) const = default;
    constexpr bool operator==(const Strong&) const = default;

private:
    T m_value {};
};

struct PhysicalAddressTag;
struct BoundaryTag;
struct SequenceTag;
struct DeviceOffsetTag;

using PhysicalAddress = Strong<PhysicalAddressTag>;
// Boundary b: the moment after exactly b guest instructions have retired (DESIGN.md 4).
using Boundary = Strong<BoundaryTag>;
// Sequence number of a ring record; strictly increasing along the ring.
using SequenceNumber = Strong<SequenceTag>;
// Byte offset into the SSD window.
using DeviceOffset = Strong<DeviceOffsetTag>;

} // namespace ferros
