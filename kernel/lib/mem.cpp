// The four functions compilers emit calls to even in freestanding code (struct copies, zero
// initialisation). Byte loops: the kernel copies little, and simple loops are obviously right.
// CMakeLists.txt compiles this file so that the optimiser cannot turn these loops back into
// calls to themselves.

#include <stddef.h>
#include <stdint.h>

extern "C" {

void* memcpy(void* destination, const void* source, size_t count)
{
    auto* d = static_cast<uint8_t*>(destination);
    const auto* s = static_cast<const uint8_t*>(source);
    for (size_t i = 0; i < count; ++i)
        d[i] = s[i];
    return destination;
}

void* memmove(void* destination, const void* source, size_t count)
{
    auto* d = static_cast<uint8_t*>(destination);
    const auto* s = static_cast<const uint8_t*>(source);
    if (d < s) {
        for (size_t i = 0; i < count; ++i)
            d[i] = s[i];
    } else {
        for (size_t i = count; i > 0; --i)
            d[i - 1] = s[i - 1];
    }
    return destination;
}

void* memset(void* destination, int value, size_t count)
{
    auto* d = static_cast<uint8_t*>(destination);
    for (size_t i = 0; i < count; ++i)
        d[i] = static_cast<uint8_t>(value);
    return destination;
}

int memcmp(const void* left, const void* right, size_t count)
{
    const auto* l = static_cast<const uint8_t*>(left);
    const auto* r = static_cast<const uint8_t*>(right);
    for (size_t i = 0; i < count; ++i) {
        if (l[i] != r[i])
            return l[i] < r[i] ? -1 : 1;
    }
    return 0;
}

} // extern "C"
