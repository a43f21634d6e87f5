// The events file is written and parsed by the same rules (docs/plugin.md).
#include <ferros/plugin/events_file.h>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace ferros;
using namespace ferros::plugin;

TEST(EventsFile, WritesOneLinePerMarkerAndAnEnd)
{
    std::string path = std::string(FERROS_TEST_TMP) + "/events.txt";
    {
        auto file = EventsFile::create(path).release_value();
        file.marker(Boundary(1834), ferros::abi::marker_word(ferros::abi::MarkerKind::Stage, 2));
        file.marker(Boundary(90211), ferros::abi::marker_word(ferros::abi::MarkerKind::OpDurable, 7));
        file.marker(Boundary(90300), ferros::abi::marker_word(static_cast<ferros::abi::MarkerKind>(42), 1));
        ASSERT_FALSE(file.end(Boundary(123456), EndReason::Cut).is_error());
    }
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "1834 stage 2\n90211 op-durable 7\n90300 42 1\n123456 end cut\n");
}

TEST(EventsFile, ParsesWhatItWrites)
{
    auto marker = parse_event_line("90211 op-durable 7").release_value();
    EXPECT_EQ(marker.boundary.value(), 90211u);
    EXPECT_FALSE(marker.is_end);
    EXPECT_EQ(marker.kind, ferros::abi::MarkerKind::OpDurable);
    EXPECT_EQ(marker.payload, 7u);
    auto end = parse_event_line("123456 end max-insns").release_value();
    EXPECT_TRUE(end.is_end);
    EXPECT_EQ(end.reason, EndReason::MaxInsns);
    EXPECT_EQ(parse_event_line("90300 42 1").value().kind, static_cast<ferros::abi::MarkerKind>(42));
}

TEST(EventsFile, AWorkersExitLinesAreFlushedAsTheyHappen)
{
    std::string path = std::string(FERROS_TEST_TMP) + "/events-worker.txt";
    auto file = EventsFile::create(path).release_value();
    file.flush_each_line();
    file.marker(Boundary(40), ferros::abi::marker_word(ferros::abi::MarkerKind::Stage, 1));
    file.exit(Boundary(77), 0x10);
    // Still open: a reboot worker's host reads the lines while QEMU runs on.
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "40 stage 1\n77 exit 16\n");
    auto exit = parse_event_line("77 exit 16").release_value();
    EXPECT_TRUE(exit.is_exit);
    EXPECT_FALSE(exit.is_end);
    EXPECT_EQ(exit.boundary.value(), 77u);
    EXPECT_EQ(exit.payload, 16u);
    EXPECT_TRUE(parse_event_line("77 exit 256").is_error());
}

TEST(EventsFile, RefusesMalformedLines)
{
    EXPECT_STREQ(parse_event_line("12 stage").error().context(), "an events line is BOUNDARY KIND PAYLOAD");
    EXPECT_STREQ(parse_event_line("x stage 1").error().context(), "an events line's BOUNDARY is not a number");
    EXPECT_STREQ(parse_event_line("1 colour 1").error().context(), "an events line's KIND is unknown");
    EXPECT_STREQ(parse_event_line("1 stage x").error().context(), "an events line's PAYLOAD is not a number");
    EXPECT_STREQ(
        parse_event_line("1 end later").error().context(), "an end line's REASON is not exit, cut or max-insns");
}
