#include <cstring>
#include <ferros/base/crc32c.h>
#include <gtest/gtest.h>

TEST(Crc32c, CheckValue)
{
    // The standard CRC-32C check value (RFC 3720, "123456789").
    const char* text = "123456789";
    EXPECT_EQ(ferros::crc32c(0, text, std::strlen(text)), 0xE3069283u);
    EXPECT_EQ(ferros::crc32c(0, nullptr, 0), 0u);
}

TEST(Crc32c, IncrementalEqualsWhole)
{
    const char* text = "power may vanish after any instruction";
    size_t n = std::strlen(text);
    uint32_t whole = ferros::crc32c(0, text, n);
    uint32_t part = ferros::crc32c(ferros::crc32c(0, text, 10), text + 10, n - 10);
    EXPECT_EQ(whole, part);
}

TEST(Crc32c, EightBytesAtATimeEqualsByteAtATime)
{
    // The reference: the bitwise definition, one byte at a time.
    auto reference = [](const uint8_t* p, size_t n) {
        uint32_t c = ~0u;
        for (size_t i = 0; i < n; ++i) {
            c ^= p[i];
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        }
        return ~c;
    };
    uint8_t buffer[300];
    for (size_t i = 0; i < sizeof buffer; ++i)
        buffer[i] = static_cast<uint8_t>(i * 37 + 11);
    for (size_t offset = 0; offset < 9; ++offset) {
        for (size_t length : { 0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 255, 291 }) {
            if (offset + length <= sizeof buffer) {
                EXPECT_EQ(ferros::crc32c(0, buffer + offset, length), reference(buffer + offset, length))
                    << offset << "+" << length;
                EXPECT_EQ(ferros::crc32c_tables(0, buffer + offset, length), reference(buffer + offset, length))
                    << "tables, " << offset << "+" << length;
            }
        }
    }
}
