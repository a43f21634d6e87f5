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
