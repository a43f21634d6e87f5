#include "page_check.h"
#include "../count_marks.h"
#include "chromium.h"
#include <cmath>
#include <filesystem>
#include <gtest/gtest.h>

namespace ferros::reports::testing {

std::string artefact_dir()
{
    std::filesystem::create_directories(FERROS_REPORT_ARTEFACTS);
    return FERROS_REPORT_ARTEFACTS;
}

size_t expect_page_matches_json(const std::string& html_file, const nlohmann::json& json, const std::string& name)
{
    if (chromium_path().empty()) {
        ADD_FAILURE() << "chromium is not installed (./ferros setup installs Debian's chromium)";
        return 0;
    }
    auto page = load_page(html_file);
    EXPECT_TRUE(page.ran) << "chromium failed on " << html_file << ":\n" << page.log;
    EXPECT_NE(page.dom.find("</html>"), std::string::npos) << "no DOM for " << html_file;
    for (auto const& line : page.console)
        ADD_FAILURE() << "console message on " << html_file << ": " << line;

    // Every headline on the page, whatever the report, against the JSON field it names.
    size_t compared = 0;
    std::string const attribute = "data-headline=\"";
    for (auto at = page.dom.find(attribute); at != std::string::npos; at = page.dom.find(attribute, at + 1)) {
        auto key_start = at + attribute.size();
        auto key = page.dom.substr(key_start, page.dom.find('"', key_start) - key_start);
        auto pointer = nlohmann::json::json_pointer(key);
        if (!json.contains(pointer)) {
            ADD_FAILURE() << "headline " << key << " has no JSON field";
            continue;
        }
        double const expected = json.at(pointer).get<double>();
        double const shown = headline_number(headline(page.dom, key));
        // Integers exactly; fractions as shown, to two decimals.
        if (expected == std::floor(expected))
            EXPECT_EQ(shown, expected) << key;
        else
            EXPECT_NEAR(shown, expected, 0.005) << key;
        ++compared;
    }
    EXPECT_GT(compared, 0u) << "no headlines on " << html_file;

    if (json.contains("charts")) {
        for (auto const& [id, marks] : json["charts"].items())
            EXPECT_EQ(count_marks(page.dom, id), marks.get<long>()) << "chart " << id << " on " << html_file;
    }

    auto const dir = std::filesystem::path(artefact_dir());
    EXPECT_TRUE(screenshot(html_file, (dir / (name + ".png")).string(), 1100, 1500)) << name;
    EXPECT_TRUE(screenshot(html_file, (dir / (name + "-narrow.png")).string(), 420, 1500)) << name;
    return compared;
}

} // namespace ferros::reports::testing
