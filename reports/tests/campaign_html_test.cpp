#include "count_marks.h"
#include "sample_campaign.h"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace ferros::reports;
using namespace ferros::reports::testing;

TEST(CampaignHtml, HeadlinesAreTheJsonFields)
{
    auto s = sample_campaign();
    auto j = nlohmann::json::parse(render_json(s));
    auto html = render_html(s);
    for (auto key : { "/coverage_percent", "/distinct_states", "/states_checked", "/reboots", "/violations" }) {
        auto shown = headline(html, key);
        ASSERT_FALSE(shown.empty()) << key;
        EXPECT_NEAR(headline_number(shown), j[nlohmann::json::json_pointer(key)].get<double>(), 0.005) << key;
    }
}

TEST(CampaignHtml, EveryViolationWithItsCommandEveryReboot)
{
    auto s = sample_campaign();
    auto html = render_html(s);
    EXPECT_NE(html.find("ferros repro " + s.violation_rows[0].token), std::string::npos);
    EXPECT_NE(html.find("ferros repro ferros1.token2"), std::string::npos);
    EXPECT_NE(html.find("record &lt;7&gt; fails its checksum &amp; more"), std::string::npos);
    EXPECT_EQ(html.find("record <7>"), std::string::npos);
    // Two reboots reached ready: the histogram has their values in its bins.
    EXPECT_GE(count_marks(html, "reboot-ready"), 1);
    auto table = html.substr(html.find("id=\"reboot-table\""));
    table = table.substr(0, table.find("</table>"));
    size_t rows = 0;
    for (auto at = table.find("<tr>"); at != std::string::npos; at = table.find("<tr>", at + 1))
        ++rows;
    EXPECT_EQ(rows, 1 + s.reboot_rows.size()); // the header and one per reboot
    // Every invariant has its row, zero or not.
    for (auto id : { ">R1<", ">R5<", ">R9<" })
        EXPECT_NE(html.find(id), std::string::npos) << id;
}

// A seeded bug's campaign has violations by the hundred thousand and --reboot all a row per
// distinct state: the pages list a bounded number of each (every failed or disagreeing reboot
// among them) and say how many they leave out; the JSON line keeps every one.
TEST(CampaignReports, ListABoundedNumberOfEachKindAndSayWhereTheRestAre)
{
    auto s = sample_campaign();
    s.violation_rows.clear();
    s.reboot_rows.clear();
    size_t const r3 = kListedPerKind + 40;
    for (uint64_t i = 0; i < r3; ++i)
        s.violation_rows.push_back({ ferros::check::Invariant::R3, 1000 + i, 0, 1, ferros::campaign::Checker::Host,
            "ferros1.r3-" + std::to_string(i), "value lost" });
    s.violation_rows.push_back({ ferros::check::Invariant::R1, 99'999, 0, 1, ferros::campaign::Checker::Reboot,
        "ferros1.r1", "reboot failed" });
    s.violations = s.violation_rows.size();
    size_t const others = kListedReboots + 300;
    for (uint64_t i = 0; i < others; ++i)
        s.reboot_rows.push_back({ i + 1, 10 + i, 0, "ready", 600'000, true, true });
    // Late in the run, past every listed one: a failed reboot is listed all the same.
    s.reboot_rows.push_back({ 999'999, 99'999, 0, "self-check-failed", 0, false, false });
    s.reboots = s.reboot_rows.size();

    auto const shown = listed(s);
    EXPECT_EQ(shown.violations.size(), kListedPerKind + 1);
    EXPECT_EQ(shown.violations_omitted, 40u);
    EXPECT_EQ(shown.reboots.size(), kListedReboots + 1);
    EXPECT_EQ(shown.reboots_omitted, 300u);
    EXPECT_EQ(shown.reboots.back()->boundary, 99'999u);

    for (auto const& page : { render_markdown(s), render_html(s) }) {
        EXPECT_NE(page.find("ferros1.r3-" + std::to_string(kListedPerKind - 1)), std::string::npos);
        EXPECT_EQ(page.find("ferros1.r3-" + std::to_string(kListedPerKind)), std::string::npos);
        EXPECT_NE(page.find("ferros1.r1"), std::string::npos) << "another kind has its own allowance";
        EXPECT_NE(page.find("40 more are in"), std::string::npos);
        EXPECT_NE(page.find("300 more are in"), std::string::npos);
        EXPECT_NE(page.find("self-check-failed"), std::string::npos);
    }
    auto j = nlohmann::json::parse(render_json(s));
    EXPECT_EQ(j["violation_list"].size(), s.violation_rows.size());
}
