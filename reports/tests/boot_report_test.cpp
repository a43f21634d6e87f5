#include "count_marks.h"
#include "sample_reports.h"
#include <ferros/reports/boot_report.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace ferros::reports;
using namespace ferros::reports::testing;

TEST(BootReport, JsonHasTheFiguresOfTheRuns)
{
    auto j = nlohmann::json::parse(boot_report_json(sample_boot_report()));
    EXPECT_EQ(j["report"], "boot");
    EXPECT_EQ(j["runs_total"], 5);
    EXPECT_EQ(j["runs_ready"], 4);
    // 38 394, 600 000, 842 908, 1 364 840: nearest-rank median is the second.
    EXPECT_EQ(j["time_to_ready"]["instructions"]["min"], 38'394);
    EXPECT_EQ(j["time_to_ready"]["instructions"]["median"], 600'000);
    EXPECT_EQ(j["time_to_ready"]["instructions"]["p99"], 1'364'840);
    EXPECT_EQ(j["timeline"]["source"], "blank-1m.img");
    EXPECT_EQ(j["timeline"]["firmware_instructions"], 22'000);
    EXPECT_EQ(j["timeline"]["kernel_instructions"], 842'908);
    EXPECT_EQ(j["timeline"]["ready_instructions"], 864'908);
    EXPECT_DOUBLE_EQ(j["time_to_ready"]["wall_ms"]["median"].get<double>(), 95.5);
    EXPECT_TRUE(j["runs"][4]["ready_instructions"].is_null());
    EXPECT_EQ(j["runs"][3]["cut_boundary"], 5000);
    EXPECT_EQ(j["runs"][0]["stages"].size(), 7u);
    EXPECT_NE(j["clock"]["t0"].get<std::string>().find("power-on"), std::string::npos);
}

TEST(BootReport, PageShowsTheJsonHeadlinesAndEveryChartMark)
{
    auto report = sample_boot_report();
    auto j = nlohmann::json::parse(boot_report_json(report));
    auto html = boot_report_html(report);
    for (auto key : { "/time_to_ready/instructions/median", "/time_to_ready/instructions/p99",
             "/timeline/firmware_instructions", "/runs_ready" }) {
        auto shown = headline(html, key);
        ASSERT_FALSE(shown.empty()) << key;
        EXPECT_EQ(headline_number(shown), j[nlohmann::json::json_pointer(key)].get<double>()) << key;
    }
    ASSERT_EQ(j["charts"].size(), 4u);
    EXPECT_EQ(j["charts"]["boot-timeline"], 7);
    EXPECT_EQ(j["charts"]["ready-by-store"], 4); // every run that reached ready had an SSD
    EXPECT_EQ(j["charts"]["ready-by-cut"], 1);
    for (auto const& [id, marks] : j["charts"].items())
        EXPECT_EQ(count_marks(html, id), marks.get<long>()) << id;
    EXPECT_NE(html.find("self-check-failed"), std::string::npos);
}

TEST(BootReport, NoBootsStillMakesAPage)
{
    BootReport empty;
    auto j = nlohmann::json::parse(boot_report_json(empty));
    EXPECT_EQ(j["runs_total"], 0);
    EXPECT_TRUE(j["timeline"]["source"].is_null());
    EXPECT_TRUE(j["charts"].empty());
    EXPECT_NE(boot_report_html(empty).find("No boot reached ready"), std::string::npos);
}
