#include <ferros/crash/policy.h>
#include <gtest/gtest.h>

using ferros::crash::Policy;

TEST(Policy, ParsesEveryKindAndRoundTrips)
{
    for (char const* text :
        { "strict", "prefix", "cache:8:1", "cache:64:8", "cache:512:12", "cache:4096:24", "torn:8:8", "torn:512:3" }) {
        auto policy = Policy::parse(text);
        ASSERT_FALSE(policy.is_error()) << text;
        EXPECT_EQ(policy.value().to_string(), text);
        EXPECT_EQ(Policy::parse(policy.value().to_string()).value(), policy.value());
    }
    auto cache = Policy::parse("cache:512").value();
    EXPECT_EQ(cache.kind, Policy::Kind::Cache);
    EXPECT_EQ(cache.unit, 512u);
    EXPECT_EQ(cache.k, Policy::kDefaultK);
    EXPECT_EQ(Policy::parse("torn:64").value().kind, Policy::Kind::Torn);
}

TEST(Policy, RefusesBadTextWithAReason)
{
    for (char const* text : { "", "cache", "cache:", "cache:100", "cache:512:0", "cache:512:25", "cache:512:x",
             "torn:4097", "strict:8", "prefix:1", "lazy:8", "cache:512:8:1", "cache:-8" }) {
        auto policy = Policy::parse(text);
        ASSERT_TRUE(policy.is_error()) << text;
        EXPECT_EQ(policy.error().code(), ferros::ErrorCode::BadFormat) << text;
        EXPECT_NE(policy.error().context(), nullptr) << text;
    }
}
