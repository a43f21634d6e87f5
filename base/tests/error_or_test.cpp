#include <ferros/base/error_or.h>
#include <gtest/gtest.h>
#include <string>

using ferros::Error;
using ferros::ErrorCode;
using ferros::ErrorOr;

namespace {

ErrorOr<int> parse_digit(char c)
{
    if (c < '0' || c > '9')
        return Error(ErrorCode::BadFormat, "not a digit");
    return c - '0';
}

ErrorOr<int> sum_two(const char* s)
{
    int a = TRY(parse_digit(s[0]));
    int b = TRY(parse_digit(s[1]));
    return a + b;
}

ErrorOr<void> check_even(int v)
{
    if (v % 2)
        return ErrorCode::InvalidArgument;
    return {};
}

} // namespace

TEST(ErrorOr, ValuePassesThroughTry)
{
    auto r = sum_two("34");
    ASSERT_FALSE(r.is_error());
    EXPECT_EQ(r.value(), 7);
}

TEST(ErrorOr, TryPropagatesTheFirstError)
{
    auto r = sum_two("3x");
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error().code(), ErrorCode::BadFormat);
    EXPECT_STREQ(r.error().context(), "not a digit");
}

TEST(ErrorOr, VoidAndNonTrivialValues)
{
    EXPECT_FALSE(check_even(2).is_error());
    EXPECT_EQ(check_even(3).error().code(), ErrorCode::InvalidArgument);
    ErrorOr<std::string> s = std::string("ring");
    ErrorOr<std::string> copy = s;
    EXPECT_EQ(copy.value(), "ring");
    ErrorOr<std::string> moved = std::move(s);
    EXPECT_EQ(moved.release_value(), "ring");
}

TEST(ErrorTable, NamesAndMessagesComeFromOneTable)
{
    EXPECT_STREQ(ferros::error_name(ErrorCode::NoSpace), "NoSpace");
    EXPECT_STREQ(ferros::error_message(ErrorCode::NoSpace), "no space left in the ring");
    EXPECT_EQ(static_cast<int>(ErrorCode::NoSpace), 28);
    EXPECT_STREQ(ferros::error_name(static_cast<ErrorCode>(65535)), "Unknown");
}
