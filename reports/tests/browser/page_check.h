#pragma once
// The checks every report page must pass in Chromium: it loads, nothing lands on the console,
// every headline it shows equals its JSON field (the headline's data-headline is the field's
// JSON pointer), every chart the JSON lists has exactly that many marks in the rendered DOM;
// and screenshots, wide and narrow, are kept as build artefacts.

#include <nlohmann/json.hpp>
#include <string>

namespace ferros::reports::testing {

// The directory screenshots and pages are kept in (FERROS_REPORT_ARTEFACTS).
std::string artefact_dir();

// Runs the checks with gtest assertions; `name` names the screenshots (NAME.png,
// NAME-narrow.png). Returns the number of headlines compared.
size_t expect_page_matches_json(const std::string& html_file, const nlohmann::json& json, const std::string& name);

} // namespace ferros::reports::testing
