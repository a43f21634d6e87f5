#pragma once
// A range of guest-physical memory [base, base + size). Used for RAM regions, reservations, the
// SSD window and the workload module, so that overlap and containment are computed one way.

// strong.h defaults operator<=> without including <compare> (a freestanding header); until it
// does, include it first.
#include <compare>
#include <ferros/base/strong.h>
#include <stdint.h>

namespace ferros::kernel {

class PhysicalRange {
public:
    constexpr PhysicalRange() = default;
    constexpr PhysicalRange(PhysicalAddress base, uint64_t size)
        : m_base(base)
        , m_size(size)
    {
    }

    constexpr PhysicalAddress base() const { return m_base; }
    constexpr uint64_t size() const { return m_size; }
    // One past the last byte. Callers construct ranges only through try_create or from
    // trusted constants, so this cannot wrap.
    constexpr uint64_t end() const { return m_base.value() + m_size; }

    // Refuses ranges that are empty or wrap past the top of the address space.
    static constexpr bool is_valid(uint64_t base, uint64_t size) { return size != 0 && base + size > base; }

    constexpr bool contains(PhysicalRange inner) const
    {
        return inner.m_base.value() >= m_base.value() && inner.end() <= end();
    }
    constexpr bool overlaps(PhysicalRange other) const
    {
        return m_base.value() < other.end() && other.m_base.value() < end();
    }

private:
    PhysicalAddress m_base {};
    uint64_t m_size { 0 };
};

} // namespace ferros::kernel
