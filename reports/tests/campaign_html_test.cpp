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
