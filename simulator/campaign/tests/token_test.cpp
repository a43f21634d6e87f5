#include <ferros/campaign/token.h>
#include <gtest/gtest.h>

using namespace ferros;
using ferros::campaign::ReproToken;

namespace {

ReproToken sample()
{
    ReproToken t;
    t.kernel_hash = 0x0123456789abcdefULL;
    t.workload_hash = 0xfedcba9876543210ULL;
    t.generated = campaign::GeneratedWorkload { 7, 40, "mixed" };
    t.image_size = 0x40000;
    t.policy = "cache:512:4";
    t.seed = 3;
    t.boundary = 6012345;
    t.state = 5;
    t.bug = "no-flush-before-commit";
    return t;
}

} // namespace

TEST(ReproToken, RoundTrips)
{
    auto t = sample();
    auto text = t.encode();
    EXPECT_EQ(text.rfind("ferros1.k0123456789abcdef.wfedcba9876543210.g7:40:mixed.i40000.cache:512:4.s3.b6012345.x5."
                         "no-flush-before-commit.r-.c",
                  0),
        0u)
        << text;
    auto back = ReproToken::decode(text);
    ASSERT_FALSE(back.is_error());
    EXPECT_EQ(back.value(), t);

    t.generated.reset();
    t.nested = campaign::NestedCut { 6100000, 2 };
    back = ReproToken::decode("  " + t.encode() + "\n");
    ASSERT_FALSE(back.is_error());
    EXPECT_EQ(back.value(), t);
}

TEST(ReproToken, EveryChangedCharacterIsCaught)
{
    auto text = sample().encode();
    for (size_t i = 0; i < text.size(); ++i) {
        auto copy = text;
        copy[i] = copy[i] == '1' ? '2' : '1';
        EXPECT_TRUE(ReproToken::decode(copy).is_error()) << copy;
    }
}

TEST(ReproToken, BadTokensSayWhy)
{
    auto text = sample().encode();
    auto bad_crc = text.substr(0, text.size() - 1) + (text.back() == '0' ? "1" : "0");
    EXPECT_EQ(ReproToken::decode(bad_crc).error().code(), ErrorCode::Corrupt);
    EXPECT_EQ(ReproToken::decode("hello").error().code(), ErrorCode::BadFormat);
    EXPECT_EQ(ReproToken::decode("ferros9.k1").error().code(), ErrorCode::Unsupported);
    EXPECT_EQ(ReproToken::decode("ferros1.k1.c00000000").error().code(), ErrorCode::BadFormat);
    EXPECT_EQ(ReproToken::decode("").error().code(), ErrorCode::BadFormat);
}
