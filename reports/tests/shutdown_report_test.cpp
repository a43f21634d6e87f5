#include "count_marks.h"
#include "sample_reports.h"
#include <ferros/reports/shutdown_report.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace ferros::reports;
using namespace ferros::reports::testing;

TEST(ShutdownReport, LossOfAcknowledgedDataMeansR1R3OrR6)
{
    LossClass c;
    EXPECT_FALSE(loses_acknowledged(c));
    for (auto [list, loses] : std::vector<std::pair<std::string, bool>> {
             { "R3", true }, { "R5,R6", true }, { "R1", true }, { "R10", false }, { "R2,R4,R5", false } }) {
        c.invariants = list;
        EXPECT_EQ(loses_acknowledged(c), loses) << list;
    }
}

TEST(ShutdownReport, FiguresAreOverBoundariesNotClasses)
{
    auto j = nlohmann::json::parse(shutdown_report_json(sample_shutdown_input()));
    EXPECT_EQ(j["boundaries_total"], 4000);
    EXPECT_EQ(j["boundaries_covered"], 4000);
    EXPECT_EQ(j["classes"], 6);
    EXPECT_EQ(j["states"], 24);
    EXPECT_EQ(j["no_acknowledged_loss"]["boundaries"], 3500);
    EXPECT_DOUBLE_EQ(j["no_acknowledged_loss"]["percent"].get<double>(), 87.5);
    EXPECT_EQ(j["all_invariants_held"]["boundaries"], 2300);
    // Operations per boundary: 0 x2000, 1 x800, 2 x700, 3 x500.
    EXPECT_EQ(j["loss_window"]["operations"]["median"], 0);
    EXPECT_EQ(j["loss_window"]["operations"]["p99"], 3);
    EXPECT_EQ(j["loss_window"]["operations"]["max"], 3);
    EXPECT_EQ(j["loss_window"]["bytes"]["max"], 300);
    // Instructions grow along a class: the last class runs 1500..1999.
    EXPECT_EQ(j["loss_window"]["instructions"]["max"], 1999);
    EXPECT_EQ(j["loss_window"]["instructions"]["min"], 0);
    // At or below 699: 700 (boot) + 300 (100..399) + 300 (400..699) + 700 (after the sync) =
    // 2000 of 4000 boundaries, and at or below 698 only 1997: the median is 699.
    EXPECT_EQ(j["loss_window"]["instructions"]["median"], 699);
    // Recovery over the 100 that reached ready: 500 000 .. 599 000.
    EXPECT_EQ(j["recovery"]["reboots"], 101);
    EXPECT_EQ(j["recovery"]["ready"], 100);
    EXPECT_EQ(j["recovery"]["agree"], 100);
    EXPECT_EQ(j["recovery"]["instructions"]["p99"], 598'000);
    EXPECT_EQ(j["recovery"]["instructions"]["max"], 599'000);
    EXPECT_EQ(j["violations"], 3);
}

TEST(ShutdownReport, PageShowsTheJsonHeadlinesAndEveryChartMark)
{
    auto input = sample_shutdown_input();
    auto j = nlohmann::json::parse(shutdown_report_json(input));
    auto html = shutdown_report_html(input);
    for (auto key : { "/no_acknowledged_loss/percent", "/loss_window/operations/max", "/loss_window/operations/median",
             "/loss_window/instructions/max", "/recovery/instructions/p99", "/violations" }) {
        auto shown = headline(html, key);
        ASSERT_FALSE(shown.empty()) << key;
        EXPECT_DOUBLE_EQ(headline_number(shown), j[nlohmann::json::json_pointer(key)].get<double>()) << key;
    }
    EXPECT_EQ(j["charts"].size(), 6u);
    EXPECT_EQ(j["charts"]["loss-by-boundary"], 12); // first and last boundary of each class
    EXPECT_EQ(j["charts"]["recovery-by-boundary"], 100);
    for (auto const& [id, marks] : j["charts"].items()) {
        EXPECT_EQ(count_marks(html, id), marks.get<long>()) << id;
        EXPECT_EQ(j["series"][id].size(), marks.get<size_t>()) << id;
    }
}

TEST(ShutdownReport, LongRunsAreThinnedToWhatAPageCanDraw)
{
    ShutdownInput in;
    for (uint64_t i = 0; i < 20'000; ++i)
        in.classes.push_back({ i * 10, 10, i % 5, i % 5, 0, i % 1000, 1, "" });
    for (uint64_t i = 0; i < 5'000; ++i)
        in.reboots.push_back({ i * 40, 0, "ready", 1000 + (i % 97), true });
    auto j = nlohmann::json::parse(shutdown_report_json(in));
    EXPECT_LE(j["charts"]["loss-by-boundary"].get<size_t>(), 400u);
    EXPECT_LE(j["charts"]["recovery-by-boundary"].get<size_t>(), 1000u);
    EXPECT_LE(j["charts"]["loss-cdf"].get<size_t>(), 300u);
    EXPECT_EQ(j["loss_window"]["instructions"]["max"], 999 + 9);
    EXPECT_EQ(j["recovery"]["instructions"]["max"], 1096);
}
