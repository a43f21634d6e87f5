#pragma once
// One store into the SSD window that no FLUSH has yet made durable.

#include <compare> // strong.h uses <=> without including <compare>
#include <cstdint>
#include <ferros/base/strong.h>

namespace ferros::reconstruct {

struct PendingWrite {
    // The first boundary at which the store has happened: its instruction's index plus one.
    Boundary boundary;
    DeviceOffset offset; // from the window's base
    uint8_t size { 0 }; // 1..16 bytes: x86 stores are at most 16 bytes wide here
    uint8_t bytes[16] {}; // the stored bytes, in memory order
};

} // namespace ferros::reconstruct
