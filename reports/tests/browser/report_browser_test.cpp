// Reports in a real browser: every page opens in headless Chromium without a console message,
// shows the JSON's headline numbers and draws every chart mark the JSON lists.
#include "../sample_campaign.h"
#include "../sample_reports.h"
#include "chromium.h"
#include "page_check.h"
#include <ferros/reports/page.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace ferros::reports;
using namespace ferros::reports::testing;

namespace {

std::string write_page(const std::string& name, const std::string& html)
{
    auto path = std::filesystem::path(artefact_dir()) / name;
    std::ofstream(path, std::ios::binary) << html;
    return path.string();
}

} // namespace

TEST(Browser, ConsoleMessagesAreCaught)
{
    // The control: a page that tries to load an image and run a script. The reports' policy
    // blocks both, and the harness must see the browser say so.
    Page page("control", "loads what it must not");
    page.paragraph("x");
    auto html = page.render();
    html.insert(html.find("</body>"), R"(<img src="http://192.0.2.1/x.png"><script>console.log("ran")</script>)");
    auto load = load_page(write_page("control.html", html));
    ASSERT_TRUE(load.ran) << load.log;
    EXPECT_GE(load.console.size(), 2u) << load.log;
}

TEST(Browser, BootReport)
{
    auto report = sample_boot_report();
    auto json = nlohmann::json::parse(boot_report_json(report));
    auto file = write_page("sample-boot.html", boot_report_html(report));
    EXPECT_EQ(expect_page_matches_json(file, json, "sample-boot"), 5u);
}

TEST(Browser, ShutdownReport)
{
    auto input = sample_shutdown_input();
    auto json = nlohmann::json::parse(shutdown_report_json(input));
    auto file = write_page("sample-shutdown.html", shutdown_report_html(input));
    EXPECT_EQ(expect_page_matches_json(file, json, "sample-shutdown"), 6u);
}

TEST(Browser, CampaignReport)
{
    auto summary = sample_campaign();
    auto json = nlohmann::json::parse(render_json(summary));
    auto file = write_page("sample-campaign.html", render_html(summary));
    EXPECT_EQ(expect_page_matches_json(file, json, "sample-campaign"), 5u);
}
