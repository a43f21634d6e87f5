// The plugin refuses a bad argument before it installs anything, with a reason.
#include <ferros/abi/machine.h>
#include <ferros/plugin/marker_names.h>
#include <ferros/plugin/plugin_arguments.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::plugin;

namespace {

std::string refusal(std::string_view key, std::string_view value)
{
    PluginArguments arguments;
    auto result = apply_argument(arguments, key, value);
    return result.is_error() ? result.error().context() : "";
}

} // namespace

TEST(PluginArguments, Numbers)
{
    EXPECT_EQ(parse_number("0").value(), 0u);
    EXPECT_EQ(parse_number("123456").value(), 123456u);
    EXPECT_EQ(parse_number("0x4000000").value(), 0x4000000u);
    EXPECT_EQ(parse_number("0XfF").value(), 255u);
    EXPECT_EQ(parse_number("18446744073709551615").value(), ~0ULL);
    EXPECT_TRUE(parse_number("18446744073709551616").is_error());
    EXPECT_TRUE(parse_number("").is_error());
    EXPECT_TRUE(parse_number("0x").is_error());
    EXPECT_TRUE(parse_number("-1").is_error());
    EXPECT_TRUE(parse_number("12k").is_error());
    EXPECT_TRUE(parse_number(" 1").is_error());
}

TEST(PluginArguments, AcceptsEveryKey)
{
    PluginArguments a;
    for (auto [key, value] : std::initializer_list<std::pair<const char*, const char*>> { { "ssd_base", "0x4000000" },
             { "ssd_size", "65536" }, { "image_in", "in.img" }, { "image_out", "out.img" }, { "policy", "cache:8:4" },
             { "state", "3" }, { "seed", "7" }, { "cut_at", "0" }, { "cut_marker", "stage:ready" },
             { "max_insns", "1000000" }, { "trace", "t" }, { "events", "e" }, { "kernel", "k" }, { "workload", "w" },
             { "machine", "microvm 128M" } }) {
        auto result = apply_argument(a, key, value);
        EXPECT_FALSE(result.is_error()) << key;
    }
    EXPECT_EQ(a.ssd_base->value(), 0x4000000u);
    EXPECT_EQ(a.cut_at->value(), 0u);
    EXPECT_EQ(*a.cut_marker, ferros::abi::marker_word(ferros::abi::MarkerKind::Stage, 8));
    EXPECT_FALSE(check_arguments(a).is_error());
}

TEST(PluginArguments, RefusesWithAReason)
{
    EXPECT_EQ(refusal("colour", "red"), "unknown key");
    EXPECT_EQ(refusal("ssd_base", "0x4000001"), "not 4 KiB-aligned");
    EXPECT_EQ(refusal("ssd_base", "0x1000"), "below 16 MiB, where the marker and control pages lie");
    EXPECT_EQ(refusal("ssd_size", "0"), "not a positive multiple of 4 KiB");
    EXPECT_EQ(refusal("cut_at", "soon"), "not a number (decimal or 0x-hex)");
    EXPECT_EQ(refusal("image_out", ""), "empty path");
    EXPECT_EQ(refusal("cut_marker", "stage"), "expected KIND:PAYLOAD");
    EXPECT_EQ(refusal("cut_marker", "colour:1"),
        "unknown marker kind (stage, op-submitted, op-durable, verdict, fault, op-failed, process-fault)");
    EXPECT_EQ(refusal("cut_marker", "stage:nowhere"), "PAYLOAD is not a number (or, for stage, a stage name)");
}

TEST(PluginArguments, CrossChecks)
{
    PluginArguments a;
    ASSERT_FALSE(apply_argument(a, "ssd_base", "0x4000000").is_error());
    EXPECT_STREQ(check_arguments(a).error().context(), "ssd_size: missing (ssd_base needs it)");
    PluginArguments b;
    ASSERT_FALSE(apply_argument(b, "image_out", "x").is_error());
    EXPECT_STREQ(check_arguments(b).error().context(), "image_out: needs ssd_base and ssd_size");
    PluginArguments worker;
    ASSERT_FALSE(apply_argument(worker, "worker", "on").is_error());
    EXPECT_STREQ(check_arguments(worker).error().context(), "worker: needs events (the verdicts go there)");
    ASSERT_FALSE(apply_argument(worker, "events", "e.txt").is_error());
    EXPECT_FALSE(check_arguments(worker).is_error());
    ASSERT_FALSE(apply_argument(worker, "cut_at", "5").is_error());
    EXPECT_TRUE(check_arguments(worker).is_error()) << "cuts belong to single runs";
    EXPECT_TRUE(apply_argument(worker, "worker", "yes").is_error());

    PluginArguments capture;
    ASSERT_FALSE(apply_argument(capture, "handoff_at", "0x100000").is_error());
    EXPECT_STREQ(check_arguments(capture).error().context(), "handoff_out: missing (handoff_at needs it)");
    ASSERT_FALSE(apply_argument(capture, "handoff_out", "h.txt").is_error());
    EXPECT_FALSE(check_arguments(capture).is_error());
    EXPECT_EQ(capture.handoff_at->value(), 0x100000u);
    ASSERT_FALSE(apply_argument(capture, "worker", "on").is_error());
    ASSERT_FALSE(apply_argument(capture, "events", "e.txt").is_error());
    EXPECT_STREQ(check_arguments(capture).error().context(), "handoff_at: a capture run is a single run, not a worker");
    EXPECT_TRUE(apply_argument(capture, "handoff_at", "entry").is_error());

    // A worker that traces each check (--depth 2) needs the window and where checks begin.
    PluginArguments tracing;
    for (auto [key, value] : { std::pair { "worker", "on" }, { "events", "e.txt" }, { "trace", "t.ftr" } })
        ASSERT_FALSE(apply_argument(tracing, key, value).is_error()) << key;
    EXPECT_STREQ(check_arguments(tracing).error().context(), "trace: needs ssd_base and ssd_size");
    ASSERT_FALSE(apply_argument(tracing, "ssd_base", "0x4000000").is_error());
    ASSERT_FALSE(apply_argument(tracing, "ssd_size", "0x10000").is_error());
    EXPECT_STREQ(
        check_arguments(tracing).error().context(), "trace: a worker's traces begin at entry_at, which is missing");
    ASSERT_FALSE(apply_argument(tracing, "entry_at", "0x100000").is_error());
    EXPECT_STREQ(check_arguments(tracing).error().context(), "entry_boundary: missing (entry_at needs it)");
    ASSERT_FALSE(apply_argument(tracing, "entry_boundary", "24122").is_error());
    EXPECT_FALSE(check_arguments(tracing).is_error());
    EXPECT_EQ(tracing.entry_boundary->value(), 24122u);
    PluginArguments single;
    ASSERT_FALSE(apply_argument(single, "entry_at", "0x100000").is_error());
    ASSERT_FALSE(apply_argument(single, "entry_boundary", "1").is_error());
    EXPECT_STREQ(check_arguments(single).error().context(), "entry_at: only a reboot worker begins its checks there");
}

TEST(MarkerNames, SpecsAndNames)
{
    EXPECT_EQ(
        parse_marker_spec("op-durable:7").value(), ferros::abi::marker_word(ferros::abi::MarkerKind::OpDurable, 7));
    EXPECT_EQ(parse_marker_spec("stage:8").value(), ferros::abi::marker_word(ferros::abi::MarkerKind::Stage, 8));
    EXPECT_EQ(parse_marker_spec("3:0x10").value(), ferros::abi::marker_word(ferros::abi::MarkerKind::OpDurable, 16));
    EXPECT_STREQ(marker_kind_name(ferros::abi::MarkerKind::Verdict), "verdict");
    EXPECT_EQ(marker_kind_name(static_cast<ferros::abi::MarkerKind>(77)), nullptr);
}
