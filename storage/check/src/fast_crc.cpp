#include "fast_crc.h"
#include <cstring>
#include <ferros/base/crc32c.h>

namespace ferros::check {

namespace {

    __attribute__((target("sse4.2"))) uint32_t hardware_crc32c(uint32_t crc, const uint8_t* p, size_t length)
    {
        uint64_t state = ~crc;
        while (length >= 8) {
            uint64_t word;
            std::memcpy(&word, p, 8);
            state = __builtin_ia32_crc32di(state, word);
            p += 8;
            length -= 8;
        }
        auto narrow = static_cast<uint32_t>(state);
        while (length--)
            narrow = __builtin_ia32_crc32qi(narrow, *p++);
        return ~narrow;
    }

    bool has_sse42()
    {
        static bool const supported = __builtin_cpu_supports("sse4.2");
        return supported;
    }

} // namespace

uint32_t fast_crc32c(uint32_t crc, const void* data, size_t length)
{
    if (has_sse42())
        return hardware_crc32c(crc, static_cast<const uint8_t*>(data), length);
    return crc32c(crc, data, length);
}

uint32_t fast_record_crc(const uint8_t* record, uint64_t length)
{
    static constexpr uint8_t zero[4] = {};
    uint32_t crc = fast_crc32c(0, record, 12);
    crc = fast_crc32c(crc, zero, 4);
    return fast_crc32c(crc, record + 16, length - 16);
}

} // namespace ferros::check
