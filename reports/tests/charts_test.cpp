#include "count_marks.h"
#include <ferros/reports/charts.h>
#include <gtest/gtest.h>

using namespace ferros::reports;
using ferros::reports::testing::count_marks;

TEST(Charts, ScatterDrawsOneMarkPerPoint)
{
    XyChart chart { "c", "Title <with> markup", "x", "y", MarkStyle::Points,
        { { "a", { { 1, 2 }, { 2, 4 }, { 3, 1 } } }, { "b", { { 1, 1 } } } }, std::nullopt };
    auto html = render_xy_chart(chart).render();
    EXPECT_EQ(mark_count(chart), 4u);
    EXPECT_EQ(count_marks(html, "c"), 4);
    EXPECT_NE(html.find("data-marks=\"4\""), std::string::npos);
    EXPECT_NE(html.find("Title &lt;with&gt; markup"), std::string::npos);
    EXPECT_NE(html.find("class=\"legend\""), std::string::npos); // two series: a legend
}

TEST(Charts, LinesAndStepsKeepTheirDotsAndATrace)
{
    XyChart chart { "s", "CDF", "x", "fraction", MarkStyle::Steps, { { "one", { { 0, 0.5 }, { 10, 1 } } } }, 1.0 };
    auto html = render_xy_chart(chart).render();
    EXPECT_EQ(count_marks(html, "s"), 2);
    // A step goes across at the old height, then up: three vertices for two points.
    auto points = html.find("points=\"");
    ASSERT_NE(points, std::string::npos);
    auto list = html.substr(points + 8, html.find('"', points + 8) - points - 8);
    EXPECT_EQ(std::count(list.begin(), list.end(), ','), 3);
}

TEST(Charts, EmptyChartSaysSo)
{
    XyChart chart { "e", "Nothing", "x", "y", MarkStyle::Points, { { "none", {} } }, std::nullopt };
    auto html = render_xy_chart(chart).render();
    EXPECT_EQ(count_marks(html, "e"), 0);
    EXPECT_NE(html.find("no data"), std::string::npos);
}

TEST(Charts, TimelineHasOneBarPerStage)
{
    TimelineChart chart { "t", "Boot", "instructions",
        { { "kernel-entry", 0, 22000, "" }, { "memory-up", 22000, 25000, "" }, { "ready", 25000, 25000, "" } } };
    auto html = render_timeline(chart).render();
    EXPECT_EQ(count_marks(html, "t"), 3);
    EXPECT_NE(html.find("data-stage=\"memory-up\""), std::string::npos);
    // A stage of zero length is still visible.
    EXPECT_EQ(html.find("width=\"0\""), std::string::npos);
}

TEST(Charts, HistogramBinsPartitionTheValues)
{
    std::vector<uint64_t> values;
    for (uint64_t v = 100; v < 1100; v += 3)
        values.push_back(v);
    auto bins = histogram_bins(values, 20);
    EXPECT_LE(bins.size(), 20u);
    uint64_t total = 0;
    for (size_t i = 0; i < bins.size(); ++i) {
        total += bins[i].count;
        if (i > 0) {
            EXPECT_EQ(bins[i].low, bins[i - 1].high);
        }
    }
    EXPECT_EQ(total, values.size());
    EXPECT_LE(bins.front().low, 100);
    EXPECT_GT(bins.back().high, 1097);

    auto same = histogram_bins({ 7, 7, 7 }, 20);
    ASSERT_EQ(same.size(), 1u);
    EXPECT_EQ(same[0].count, 3u);
    auto html = render_histogram({ "h", "H", "x", "n", bins }).render();
    EXPECT_EQ(count_marks(html, "h"), static_cast<long>(bins.size()));
}
