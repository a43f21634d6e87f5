#pragma once
// A non-owning view of bytes, for freestanding code that may not use std::span.

#include <stddef.h>
#include <stdint.h>

namespace ferros {

template<typename T>
class Span {
public:
    constexpr Span() = default;
    constexpr Span(T* data, size_t size)
        : m_data(data)
        , m_size(size)
    {
    }
    template<size_t N>
    constexpr Span(T (&array)[N])
        : m_data(array)
        , m_size(N)
    {
    }
    constexpr T* data() const { return m_data; }
    constexpr size_t size() const { return m_size; }
    constexpr bool empty() const { return m_size == 0; }
    constexpr T& operator[](size_t i) const { return m_data[i]; }
    constexpr T* begin() const { return m_data; }
    constexpr T* end() const { return m_data + m_size; }
    constexpr Span slice(size_t offset, size_t length) const { return Span(m_data + offset, length); }
    constexpr Span slice(size_t offset) const { return Span(m_data + offset, m_size - offset); }
    constexpr operator Span<const T>() const { return Span<const T>(m_data, m_size); }

private:
    T* m_data { nullptr };
    size_t m_size { 0 };
};

using Bytes = Span<uint8_t>;
using ReadonlyBytes = Span<const uint8_t>;

// Little-endian loads and stores: every on-disk and on-wire format of Ferros is little-endian.
inline uint64_t load_le(const uint8_t* p, size_t width)
{
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i)
        v |= static_cast<uint64_t>(p[i]) << (8 * i);
    return v;
}
inline void store_le(uint8_t* p, uint64_t v, size_t width)
{
    for (size_t i = 0; i < width; ++i)
        p[i] = static_cast<uint8_t>(v >> (8 * i));
}
// The fixed widths, which the store's formats use on every record, node and anchor: on a
// little-endian machine one unaligned move (the byte loops above compile to a loop per call
// where they are not inlined).
template<typename T>
inline T load_le_fixed(const uint8_t* p)
{
    if constexpr (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
        T v;
        __builtin_memcpy(&v, p, sizeof v);
        return v;
    } else {
        return static_cast<T>(load_le(p, sizeof(T)));
    }
}
template<typename T>
inline void store_le_fixed(uint8_t* p, T v)
{
    if constexpr (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
        __builtin_memcpy(p, &v, sizeof v);
    else
        store_le(p, v, sizeof(T));
}
inline uint16_t load_le16(const uint8_t* p) { return load_le_fixed<uint16_t>(p); }
inline uint32_t load_le32(const uint8_t* p) { return load_le_fixed<uint32_t>(p); }
inline uint64_t load_le64(const uint8_t* p) { return load_le_fixed<uint64_t>(p); }
inline void store_le16(uint8_t* p, uint16_t v) { store_le_fixed(p, v); }
inline void store_le32(uint8_t* p, uint32_t v) { store_le_fixed(p, v); }
inline void store_le64(uint8_t* p, uint64_t v) { store_le_fixed(p, v); }

} // namespace ferros
