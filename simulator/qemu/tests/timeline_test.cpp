#include <ferros/qemu/timeline.h>
#include <gtest/gtest.h>

using ferros::qemu::Timeline;

TEST(Timeline, ParsesStageLinesOnly)
{
    Timeline t;
    EXPECT_TRUE(t.take_console_line("ferros: stage kernel-entry vt=1000"));
    EXPECT_FALSE(t.take_console_line("ferros: stage kernel-entry vt=12x"));
    EXPECT_FALSE(t.take_console_line("hello ferros: stage ready vt=5"));
    EXPECT_TRUE(t.take_console_line("ferros: stage ready vt=251000"));
    EXPECT_TRUE(t.take_console_line("ferros: stage poweroff vt=0x000000000003d478"));
    EXPECT_FALSE(t.take_console_line("ferros: stage poweroff vt=0x3d478")) << "the hex form is sixteen digits";
    ASSERT_EQ(t.stages().size(), 3u);
    EXPECT_EQ(t.find("poweroff")->virtual_ns, 251000u);
    EXPECT_TRUE(t.reached("ready"));
    EXPECT_FALSE(t.reached("store-mounted"));
    EXPECT_EQ(t.find("ready")->virtual_ns, 251000u);
}

TEST(Timeline, RendersDistanceFromKernelEntry)
{
    Timeline t;
    t.take_console_line("ferros: stage kernel-entry vt=1000");
    t.take_console_line("ferros: stage ready vt=251000");
    auto text = t.render();
    EXPECT_NE(text.find("250000 ns"), std::string::npos) << text;
    t.attach_boundary("kernel-entry", 900);
    t.attach_boundary("ready", 250400);
    text = t.render();
    EXPECT_NE(text.find("249500 insns"), std::string::npos) << text;
}
