#pragma once
// A write made since the last FLUSH and not yet known to be durable: the one type for the
// host's emulated SSD (DeviceModel), the plugin's and reconstruction's view of the SSD window
// (WindowState), and the crash model that turns pending writes into crash states.

#include <compare> // strong.h uses <=> without including <compare>
#include <cstdint>
#include <ferros/base/strong.h>
#include <vector>

namespace ferros::crash {

// Pending writes are always kept in program order: a later write to the same bytes wins.
struct PendingWrite {
    DeviceOffset offset; // from the start of the device image (the window's base)
    std::vector<uint8_t> bytes;
    // The first boundary at which the write has happened: its store instruction's index plus
    // one. 0 on the host's emulated SSD, which runs no instructions.
    Boundary boundary;
};

} // namespace ferros::crash
