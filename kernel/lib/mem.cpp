// The functions compilers emit calls to even in freestanding code (struct copies, zero
// initialisation, the ring store's record and value copies, and __builtin_strlen on a string
// that is not a constant). memcpy and memset move 8-byte
// words where the alignment allows: the store copies values of up to 64 KiB, and the campaign
// pays for every instruction. CMakeLists.txt compiles this file so that the optimiser cannot
// turn these loops back into calls to themselves.

#include <stddef.h>
#include <stdint.h>

namespace {

// An 8-byte word that may alias whatever bytes it is copied from or to.
using Word = uint64_t __attribute__((may_alias));

bool is_word_aligned(const void* pointer) { return (reinterpret_cast<uintptr_t>(pointer) & 7) == 0; }

} // namespace

extern "C" {

void* memcpy(void* destination, const void* source, size_t count)
{
    auto* d = static_cast<uint8_t*>(destination);
    const auto* s = static_cast<const uint8_t*>(source);
    size_t i = 0;
    if (((reinterpret_cast<uintptr_t>(d) ^ reinterpret_cast<uintptr_t>(s)) & 7) == 0) {
        for (; i < count && !is_word_aligned(d + i); ++i)
            d[i] = s[i];
        for (; i + 8 <= count; i += 8)
            *reinterpret_cast<Word*>(d + i) = *reinterpret_cast<const Word*>(s + i);
    }
    for (; i < count; ++i)
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
    size_t i = 0;
    for (; i < count && !is_word_aligned(d + i); ++i)
        d[i] = static_cast<uint8_t>(value);
    const Word word = 0x0101010101010101ULL * static_cast<uint8_t>(value);
    for (; i + 8 <= count; i += 8)
        *reinterpret_cast<Word*>(d + i) = word;
    for (; i < count; ++i)
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

size_t strlen(const char* string)
{
    size_t length = 0;
    while (string[length] != '\0')
        ++length;
    return length;
}

} // extern "C"
