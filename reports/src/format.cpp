#include <cmath>
#include <ferros/reports/format.h>
#include <fmt/format.h>

namespace ferros::reports {

std::string format_count(uint64_t value)
{
    auto digits = std::to_string(value);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += "\u202f";
        out += digits[i];
    }
    return out;
}

std::string format_percent(double percent) { return fmt::format("{:.2f}\u202f%", percent); }

std::string format_short(double value)
{
    double const magnitude = std::fabs(value);
    auto trim = [](std::string s) {
        if (s.find('.') != std::string::npos) {
            while (s.back() == '0')
                s.pop_back();
            if (s.back() == '.')
                s.pop_back();
        }
        return s;
    };
    if (magnitude >= 1e9)
        return trim(fmt::format("{:.2f}", value / 1e9)) + "G";
    if (magnitude >= 1e6)
        return trim(fmt::format("{:.2f}", value / 1e6)) + "M";
    if (magnitude >= 1e3)
        return trim(fmt::format("{:.2f}", value / 1e3)) + "k";
    return trim(fmt::format("{:.2f}", value));
}

std::string format_bytes(uint64_t bytes)
{
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0)
        return fmt::format("{} MiB", bytes >> 20);
    if (bytes >= (1u << 20))
        return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1u << 20));
    if (bytes >= 1024 && bytes % 1024 == 0)
        return fmt::format("{} KiB", bytes >> 10);
    if (bytes >= 1024)
        return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
    return fmt::format("{} B", bytes);
}

std::string format_ms(double milliseconds) { return fmt::format("{:.1f} ms", milliseconds); }

} // namespace ferros::reports
