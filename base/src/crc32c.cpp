#include <ferros/base/crc32c.h>

namespace ferros {

namespace {

    struct Table {
        uint32_t entries[256];
        constexpr Table()
            : entries()
        {
            for (uint32_t i = 0; i < 256; ++i) {
                uint32_t c = i;
                for (int k = 0; k < 8; ++k)
                    c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
                entries[i] = c;
            }
        }
    };

    // Built at compile time: the kernel has no constructor pass to rely on.
    constexpr Table table;

} // namespace

uint32_t crc32c(uint32_t crc, const void* data, size_t length)
{
    auto const* p = static_cast<const uint8_t*>(data);
    crc = ~crc;
    for (size_t i = 0; i < length; ++i)
        crc = table.entries[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

} // namespace ferros
