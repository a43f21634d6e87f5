#pragma once
// Helpers for tests that run campaigns: a fresh output directory, and the one JSON object
// `ferros campaign --json` prints as its last line.

#include "ferros_runner.h"
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace ferros::testing {

// An output directory under the test scratch directory, removed first if a run left it.
inline std::string fresh_dir(const std::string& name)
{
    auto dir = std::filesystem::path(FERROS_TEST_SCRATCH) / name;
    std::filesystem::remove_all(dir);
    return dir.string();
}

inline nlohmann::json last_json(const FerrosRun& run)
{
    auto end = run.out.find_last_not_of('\n');
    auto start = run.out.rfind('\n', end);
    return nlohmann::json::parse(run.out.substr(start == std::string::npos ? 0 : start + 1, end - start));
}

// The seeded bugs, as `ferros campaign --list-bugs` prints them (one name a line).
inline std::vector<std::string> seeded_bugs()
{
    auto r = run_ferros({ "campaign", "--list-bugs" });
    std::vector<std::string> bugs;
    if (r.status != 0)
        return bugs;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);)
        if (!line.empty())
            bugs.push_back(line);
    return bugs;
}

} // namespace ferros::testing
