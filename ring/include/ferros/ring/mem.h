#pragma once
// Byte helpers for freestanding code. The builtins compile to inline code or to the
// memcpy/memset/memcmp/memmove that every freestanding C++ environment must provide.

#include <stddef.h>
#include <stdint.h>

namespace ferros::ring {

// Empty ranges may come with null pointers (an empty Span): the C functions forbid that.
inline void copy_bytes(void* to, const void* from, size_t n)
{
    if (n)
        __builtin_memcpy(to, from, n);
}
inline void move_bytes(void* to, const void* from, size_t n)
{
    if (n)
        __builtin_memmove(to, from, n);
}
inline void fill_bytes(void* to, uint8_t value, size_t n)
{
    if (n)
        __builtin_memset(to, value, n);
}

// Lexicographic byte order, shorter first on a common prefix: the store's key order.
inline int compare_keys(const uint8_t* a, size_t a_length, const uint8_t* b, size_t b_length)
{
    size_t const common = a_length < b_length ? a_length : b_length;
    int const c = common ? __builtin_memcmp(a, b, common) : 0;
    if (c != 0)
        return c;
    return a_length < b_length ? -1 : (a_length > b_length ? 1 : 0);
}

constexpr uint64_t align_up(uint64_t value, uint64_t alignment) { return (value + alignment - 1) & ~(alignment - 1); }

} // namespace ferros::ring
