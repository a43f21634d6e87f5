#pragma once
// Progress for long work: on a terminal, one bar redrawn in place with an ETA; otherwise a
// quiet line at every tenth of the way. Wall-clock time is used for the ETA only: nothing a
// campaign reports depends on it.

#include <chrono>
#include <cstdint>
#include <string>

namespace ferros::tools {

class ProgressBar {
public:
    explicit ProgressBar(std::string label);
    // done out of total, and a short detail ("1234 states").
    void update(uint64_t done, uint64_t total, const std::string& detail);
    // Ends the bar's line (terminal) and prints the final state.
    void finish(const std::string& detail);

private:
    std::string m_label;
    bool m_tty { false };
    int m_last_tenth { -1 };
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last_draw;
};

} // namespace ferros::tools
