#pragma once
// How numbers read in a report: counts grouped by thousands with a narrow no-break space
// (1 364 840, as docs/ writes them; never broken across lines), percentages with two
// decimals, and short axis labels (1.5M, 200k).

#include <cstdint>
#include <string>

namespace ferros::reports {

std::string format_count(uint64_t value);
std::string format_percent(double percent); // "99.98 %"
std::string format_short(double value); // axis ticks: 0, 250, 1.5k, 2M, 0.25
std::string format_bytes(uint64_t bytes); // "512 B", "64 KiB", "1.5 MiB"
std::string format_ms(double milliseconds); // "12.3 ms"

} // namespace ferros::reports
