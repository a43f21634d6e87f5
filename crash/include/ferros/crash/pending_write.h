#pragma once
// A write made since the last FLUSH and not yet known to be durable.

#include <cstdint>
#include <vector>

namespace ferros::crash {

// Pending writes are always kept in program order: a later write to the same bytes wins.
struct PendingWrite {
    uint64_t offset { 0 }; // byte offset into the device image
    std::vector<uint8_t> bytes;
};

} // namespace ferros::crash
