#include <ferros/qemu/process.h>
#include <gtest/gtest.h>

using namespace ferros::qemu;

TEST(Process, StreamsLinesAndCollectsStderr)
{
    std::vector<std::string> lines;
    ProcessOptions options;
    options.on_line = [&](const std::string& l) { lines.push_back(l); };
    auto r = run_process({ "sh", "-c", "echo one; echo two; echo oops >&2; printf tail; exit 3" }, options);
    ASSERT_TRUE(r.started);
    EXPECT_TRUE(r.exited);
    EXPECT_EQ(r.exit_status, 3);
    EXPECT_EQ(lines, (std::vector<std::string> { "one", "two", "tail" }));
    EXPECT_EQ(r.stderr_text, "oops\n");
}

TEST(Process, ReportsAProgramThatCannotStart)
{
    auto r = run_process({ "/nonexistent/qemu" }, {});
    EXPECT_FALSE(r.started);
    EXPECT_NE(r.error.find("/nonexistent/qemu"), std::string::npos);
}

TEST(Process, WatchdogKillsAHang)
{
    ProcessOptions options;
    options.timeout_seconds = 0.3;
    auto r = run_process({ "sleep", "30" }, options);
    EXPECT_TRUE(r.timed_out);
    EXPECT_FALSE(r.exited);
}

TEST(Process, ShellQuoteRoundTripsAwkwardArguments)
{
    EXPECT_EQ(shell_quote({ "qemu", "-append", "a b", "it's" }), "qemu -append 'a b' 'it'\\''s'");
}
