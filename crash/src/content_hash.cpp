#include <ferros/base/bytes.h>
#include <ferros/crash/content_hash.h>

// Header-only use of xxHash: nothing to link, and the code ends up position-independent
// with the rest of this library (the plugin links it into a shared object).
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace ferros::crash {

uint64_t word_mix(uint64_t offset, uint64_t word)
{
    uint8_t buffer[16];
    store_le64(buffer, offset);
    store_le64(buffer + 8, word);
    return XXH3_64bits(buffer, sizeof buffer);
}

uint64_t image_word(std::span<const uint8_t> image, uint64_t offset)
{
    if (offset >= image.size())
        return 0;
    if (image.size() - offset >= 8)
        return load_le64(image.data() + offset);
    size_t const width = image.size() - offset < 8 ? image.size() - offset : 8;
    return load_le(image.data() + offset, width);
}

uint64_t bytes_hash(std::span<const uint8_t> bytes, uint64_t seed)
{
    return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

uint64_t image_hash(std::span<const uint8_t> image)
{
    uint64_t hash = image.size() * 0x9E3779B97F4A7C15ULL;
    for (uint64_t offset = 0; offset < image.size(); offset += 8)
        hash += word_mix(offset, image_word(image, offset));
    return hash;
}

} // namespace ferros::crash
