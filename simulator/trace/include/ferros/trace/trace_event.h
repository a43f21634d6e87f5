#pragma once
// One event of a trace: a store into the SSD window, a FLUSH (the doorbell store) or a marker
// (the marker-page store), each stamped with the boundary right after its instruction.

#include <compare> // strong.h uses <=> without including <compare>
#include <cstdint>
#include <ferros/base/strong.h>

namespace ferros::trace {

enum class EventKind : uint8_t {
    Store = 0,
    Flush = 1,
    Marker = 2,
};

struct TraceEvent {
    EventKind kind { EventKind::Store };
    uint8_t size { 0 }; // bytes stored, 1..16
    Boundary boundary; // the first boundary at which the store has happened
    PhysicalAddress address; // guest-physical
    uint8_t value[16] {}; // the stored bytes in memory order; size of them are meaningful

    // A marker's word, or the low 8 bytes of any value (little-endian).
    uint64_t value_u64() const;
};

} // namespace ferros::trace
