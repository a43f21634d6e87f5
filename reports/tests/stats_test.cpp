#include <ferros/reports/format.h>
#include <ferros/reports/stats.h>
#include <gtest/gtest.h>

using namespace ferros::reports;

TEST(Stats, NearestRankQuantiles)
{
    Sample s;
    for (uint64_t v : { 5, 1, 4, 2, 3 })
        s.add(v);
    auto sum = s.summary();
    EXPECT_EQ(sum.count, 5u);
    EXPECT_EQ(sum.min, 1u);
    EXPECT_EQ(sum.median, 3u);
    EXPECT_EQ(sum.p99, 5u);
    EXPECT_EQ(sum.max, 5u);
    EXPECT_EQ(s.quantile(0.2), 1u);
    EXPECT_EQ(s.quantile(0.21), 2u);
}

TEST(Stats, WeightsCountAsCopies)
{
    Sample s;
    s.add(10, 98);
    s.add(1000, 2);
    EXPECT_EQ(s.total_weight(), 100u);
    EXPECT_EQ(s.quantile(0.5), 10u);
    EXPECT_EQ(s.quantile(0.98), 10u);
    EXPECT_EQ(s.quantile(0.99), 1000u);
}

TEST(Stats, RunsAreExactWithoutBeingExpanded)
{
    Sample s;
    s.add_run(0, 100); // 0..99
    EXPECT_EQ(s.count_at_or_below(49), 50u);
    EXPECT_EQ(s.quantile(0.5), 49u);
    EXPECT_EQ(s.quantile(0.99), 98u);
    Sample big;
    big.add_run(1'000'000, 9'000'000'000ULL); // far too many to expand
    big.add(7, 1'000'000'000ULL);
    EXPECT_EQ(big.total_weight(), 10'000'000'000ULL);
    EXPECT_EQ(big.quantile(0.1), 7u);
    EXPECT_EQ(big.quantile(0.5), 1'000'000 + 4'000'000'000ULL - 1);
}

TEST(Stats, CdfHasAStepPerDistinctValueOrSpreadPoints)
{
    Sample s;
    s.add(1, 2);
    s.add(3, 1);
    s.add(3, 1);
    auto cdf = s.cdf(10);
    ASSERT_EQ(cdf.size(), 2u);
    EXPECT_DOUBLE_EQ(cdf[0].x, 1);
    EXPECT_DOUBLE_EQ(cdf[0].y, 0.5);
    EXPECT_DOUBLE_EQ(cdf[1].y, 1.0);

    Sample run;
    run.add_run(0, 1000);
    auto spread = run.cdf(11);
    ASSERT_EQ(spread.size(), 11u);
    EXPECT_DOUBLE_EQ(spread.front().x, 0);
    EXPECT_DOUBLE_EQ(spread.back().x, 999);
    EXPECT_DOUBLE_EQ(spread.back().y, 1.0);
    for (size_t i = 1; i < spread.size(); ++i)
        EXPECT_GE(spread[i].y, spread[i - 1].y);
}

TEST(Stats, BucketMaximaKeepEveryPeak)
{
    std::vector<Point> series;
    for (int i = 0; i < 1000; ++i)
        series.push_back({ static_cast<double>(i), i == 537 ? 1e6 : static_cast<double>(i % 7) });
    auto thin = bucket_maxima(series, 50);
    EXPECT_LE(thin.size(), 50u);
    EXPECT_GE(thin.size(), 45u);
    bool peak = false;
    for (auto const& p : thin)
        peak |= p.x == 537 && p.y == 1e6;
    EXPECT_TRUE(peak);
    EXPECT_EQ(bucket_maxima(series, 2000).size(), series.size());
}

TEST(Format, NumbersAsTheDocsWriteThem)
{
    EXPECT_EQ(format_count(0), "0");
    EXPECT_EQ(format_count(999), "999");
    EXPECT_EQ(format_count(1364840), "1\u202f364\u202f840");
    EXPECT_EQ(format_percent(99.987), "99.99\u202f%");
    EXPECT_EQ(format_short(1500000), "1.5M");
    EXPECT_EQ(format_short(250), "250");
    EXPECT_EQ(format_short(0.25), "0.25");
    EXPECT_EQ(format_bytes(65536), "64 KiB");
    EXPECT_EQ(format_bytes(1536), "1.5 KiB");
}
