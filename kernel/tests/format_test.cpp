#include "lib/format.h"
#include "lib/string_view.h"
#include <gtest/gtest.h>
#include <stdint.h>
#include <string>

using namespace ferros::kernel;

namespace {

__attribute__((format(printf, 1, 2))) std::string format(const char* text, ...)
{
    std::string out;
    FormatSink sink([](void* context, char c) { static_cast<std::string*>(context)->push_back(c); }, &out);
    va_list arguments;
    va_start(arguments, text);
    vformat(sink, text, arguments);
    va_end(arguments);
    return out;
}

} // namespace

TEST(Format, Integers)
{
    EXPECT_EQ(format("%d %i %u", -42, 7, 4000000000u), "-42 7 4000000000");
    EXPECT_EQ(format("%ld %lu", INT64_MIN, UINT64_MAX), "-9223372036854775808 18446744073709551615");
    EXPECT_EQ(format("%x %X %lx", 0xbeefu, 0xbeefu, 0x123456789abcdefUL), "beef BEEF 123456789abcdef");
    EXPECT_EQ(format("%zu", sizeof(uint64_t)), "8");
    EXPECT_EQ(format("%llu", 1ULL << 40), "1099511627776");
}

TEST(Format, WidthAndPadding)
{
    EXPECT_EQ(format("0x%016lx", 0x101c3eUL), "0x0000000000101c3e");
    EXPECT_EQ(format("[%5d]", -3), "[   -3]");
    EXPECT_EQ(format("[%05d]", -3), "[-0003]");
    EXPECT_EQ(format("[%4s]", "ab"), "[  ab]");
    EXPECT_EQ(format("%08x", 0u), "00000000");
}

TEST(Format, StringsCharactersAndPercent)
{
    StringView view("ferros.ssd=1,2 rest", 14);
    EXPECT_EQ(format("%.*s|", static_cast<int>(view.length()), view.characters()), "ferros.ssd=1,2|");
    EXPECT_EQ(format("%s %c 100%%", "ok", 'x'), "ok x 100%");
    // volatile: hide the null from gcc's own format checking, which would refuse it.
    const char* volatile null_string = nullptr;
    EXPECT_EQ(format("%s", null_string), "(null)");
    EXPECT_EQ(format("%p", reinterpret_cast<void*>(0x1000)), "0x1000");
}
