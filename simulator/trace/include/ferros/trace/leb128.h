#pragma once
// LEB128 varints and zigzag, the trace's encoding of small deltas (docs/trace-format.md).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ferros::trace {

inline void put_leb128(std::vector<uint8_t>& out, uint64_t value)
{
    while (value >= 0x80) {
        out.push_back(static_cast<uint8_t>(value | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<uint8_t>(value));
}

// Reads one varint at data[*offset], advancing *offset. False when the bytes end first or
// the number needs more than 64 bits (10 groups).
inline bool get_leb128(const uint8_t* data, size_t size, size_t* offset, uint64_t* value)
{
    uint64_t result = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*offset >= size)
            return false;
        uint8_t byte = data[(*offset)++];
        if (shift == 63 && byte > 1)
            return false;
        result |= static_cast<uint64_t>(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *value = result;
            return true;
        }
    }
    return false;
}

inline uint64_t zigzag(int64_t value)
{
    return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}
inline int64_t unzigzag(uint64_t value) { return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1); }

} // namespace ferros::trace
