#pragma once
// Opens a page in headless Chromium (Debian's `chromium`, installed by ./ferros setup) the way
// the report tests need it: the DOM after loading, every console message the page caused, and
// a screenshot. Each run gets a profile directory of its own, so tests can run in parallel.

#include <string>
#include <vector>

namespace ferros::reports::testing {

struct PageLoad {
    bool ran { false }; // chromium started and exited 0
    std::string dom; // --dump-dom
    std::vector<std::string> console; // "CONSOLE" lines of Chromium's log
    std::string log; // the whole log, for failure messages
};

// The chromium binary to use (FERROS_CHROMIUM at build time), or "" if it is missing.
std::string chromium_path();

// Loads `html_file` and dumps its DOM.
PageLoad load_page(const std::string& html_file);
// Takes a screenshot of the first width x height pixels; true if a PNG was written.
bool screenshot(const std::string& html_file, const std::string& png_file, int width, int height);

} // namespace ferros::reports::testing
