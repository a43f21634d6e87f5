#include "command_line.h"
#include <gtest/gtest.h>
#include <string>

using namespace ferros;
using namespace ferros::kernel;

namespace {

struct Parsed {
    ErrorOr<CommandLine> result;
    std::string bad_token;
};

Parsed parse(const char* text)
{
    StringView bad;
    auto result = CommandLine::try_parse(StringView(text), &bad);
    return { result, std::string(bad.characters(), bad.length()) };
}

} // namespace

TEST(CommandLine, EmptyMeansDefaults)
{
    auto p = parse("");
    ASSERT_FALSE(p.result.is_error());
    EXPECT_EQ(p.result.value().until(), Until::Ready);
    EXPECT_EQ(p.result.value().fault(), InjectedFault::None);
    EXPECT_FALSE(p.result.value().has_ssd());
}

TEST(CommandLine, ParsesEveryToken)
{
    auto p = parse("  console=ttyS0 ferros.until=poweroff\tferros.ssd=0x4000000,1048576  ferros.fault=df ");
    ASSERT_FALSE(p.result.is_error()) << p.bad_token;
    const auto& line = p.result.value();
    EXPECT_EQ(line.until(), Until::Poweroff);
    EXPECT_EQ(line.fault(), InjectedFault::DoubleFault);
    ASSERT_TRUE(line.has_ssd());
    EXPECT_EQ(line.ssd().base, 0x4000000u);
    EXPECT_EQ(line.ssd().size, 0x100000u);
    EXPECT_TRUE(line.ssd().token == StringView("ferros.ssd=0x4000000,1048576"));
}

TEST(CommandLine, IgnoresOtherNamespaces)
{
    auto p = parse("virtio_mmio.device=512@0xfeb00000:12 ferrosx=1 ferros=2");
    EXPECT_FALSE(p.result.is_error()) << p.bad_token;
}

TEST(CommandLine, RefusesBadTokensAndNamesThem)
{
    for (const char* bad : { "ferros.bogus=1", "ferros.until=lunch", "ferros.until", "ferros.until=", "ferros.fault=xx",
             "ferros.ssd=0x4000000", "ferros.ssd=,0x1000", "ferros.ssd=0x4000000,", "ferros.ssd=0x4000000,12k",
             "ferros.ssd=0x,0x1000", "ferros.ssd=99999999999999999999,1", "ferros.ssd=0x10000000000000000,1" }) {
        auto p = parse((std::string("ferros.until=ready ") + bad + " quiet").c_str());
        EXPECT_TRUE(p.result.is_error()) << bad;
        EXPECT_EQ(p.bad_token, bad);
    }
}

TEST(CommandLine, SelectsSeededBugByName)
{
    EXPECT_EQ(parse("").result.value().bug(), storage::SeededBug::None);
    auto p = parse("ferros.bug=non-atomic-anchor");
    ASSERT_FALSE(p.result.is_error()) << p.bad_token;
    EXPECT_EQ(p.result.value().bug(), storage::SeededBug::NonAtomicAnchor);
    for (const char* bad : { "ferros.bug=", "ferros.bug=NonAtomicAnchor", "ferros.bug=non-atomic-anchorx" }) {
        auto refused = parse(bad);
        EXPECT_TRUE(refused.result.is_error()) << bad;
        EXPECT_EQ(refused.bad_token, bad);
    }
    EXPECT_TRUE(parse("ferros.bug=none ferros.bug=none").result.is_error());
}

TEST(CommandLine, LiveNeedsAnSsd)
{
    auto p = parse("ferros.ssd=0x4000000,65536 ferros.until=live");
    ASSERT_FALSE(p.result.is_error()) << p.bad_token;
    EXPECT_EQ(p.result.value().until(), Until::Live);
    // Whatever the order of the tokens, the refusal names until=live.
    auto refused = parse("quiet ferros.until=live ferros.fault=bp");
    ASSERT_TRUE(refused.result.is_error());
    EXPECT_EQ(refused.bad_token, "ferros.until=live");
}

TEST(CommandLine, RefusesRepeatedKeys)
{
    auto p = parse("ferros.until=ready ferros.until=poweroff");
    ASSERT_TRUE(p.result.is_error());
    EXPECT_EQ(p.bad_token, "ferros.until=poweroff");
}

TEST(ParseNumber, DecimalAndHex)
{
    EXPECT_EQ(parse_number("0").value(), 0u);
    EXPECT_EQ(parse_number("4096").value(), 4096u);
    EXPECT_EQ(parse_number("0x1F").value(), 31u);
    EXPECT_EQ(parse_number("0XfF").value(), 255u);
    EXPECT_EQ(parse_number("18446744073709551615").value(), UINT64_MAX);
    EXPECT_EQ(parse_number("0xffffffffffffffff").value(), UINT64_MAX);
    EXPECT_TRUE(parse_number("18446744073709551616").is_error());
    EXPECT_TRUE(parse_number("1a").is_error());
    EXPECT_TRUE(parse_number("-1").is_error());
    EXPECT_TRUE(parse_number("").is_error());
}

TEST(CommandLine, ParsesAnInjection)
{
    auto p = parse("ferros.inject=store,12345,flip,70");
    ASSERT_FALSE(p.result.is_error());
    ASSERT_TRUE(p.result.value().has_injection());
    const InjectionPlan& plan = p.result.value().injection();
    EXPECT_STREQ(plan.name, "store");
    EXPECT_EQ(plan.at, 12345u);
    EXPECT_EQ(plan.kind, InjectionKind::Flip);
    EXPECT_EQ(plan.arg, 70u);
    auto kill = parse("ferros.inject=runner,0x10,kill");
    ASSERT_FALSE(kill.result.is_error());
    EXPECT_EQ(kill.result.value().injection().kind, InjectionKind::Kill);
    EXPECT_EQ(kill.result.value().injection().at, 16u);
    auto corrupt = parse("ferros.inject=store,1,corrupt,32767");
    ASSERT_FALSE(corrupt.result.is_error());
    EXPECT_EQ(corrupt.result.value().injection().kind, InjectionKind::Corrupt);
    EXPECT_EQ(corrupt.result.value().injection().arg, 32767u);
    auto hang = parse("ferros.inject=store,7,hang");
    ASSERT_FALSE(hang.result.is_error());
    EXPECT_EQ(hang.result.value().injection().kind, InjectionKind::Hang);
    EXPECT_EQ(hang.result.value().injection().at, 7u);
    EXPECT_FALSE(parse("").result.value().has_injection());
}

TEST(CommandLine, RefusesBadInjections)
{
    for (const char* bad : { "ferros.inject=store", "ferros.inject=store,0,kill", "ferros.inject=store,5,melt",
             "ferros.inject=Store,5,kill", "ferros.inject=,5,kill", "ferros.inject=store,5,kill,3",
             "ferros.inject=store,5,flip,1024", "ferros.inject=store,5,corrupt,32768", "ferros.inject=store,x,kill",
             "ferros.inject=store,5,flip,1,2", "ferros.inject=a-very-long-name-x,5,kill",
             "ferros.inject=store,5,hang,1", "ferros.inject=store,5,kill,", "ferros.inject=store,5,flip,",
             "ferros.inject=store,,kill", "ferros.inject=store,5", "ferros.inject=st_re,5,kill" }) {
        auto p = parse(bad);
        EXPECT_TRUE(p.result.is_error()) << bad;
        EXPECT_EQ(p.bad_token, bad);
    }
}

TEST(CommandLine, RefusesASecondInjection)
{
    auto p = parse("ferros.inject=store,5,kill ferros.inject=store,6,kill");
    EXPECT_TRUE(p.result.is_error());
    EXPECT_EQ(p.bad_token, "ferros.inject=store,6,kill");
}
