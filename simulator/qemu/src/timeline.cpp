#include <ferros/qemu/timeline.h>
#include <fmt/format.h>
#include <regex>

namespace ferros::qemu {

bool Timeline::take_console_line(const std::string& line)
{
    // vt: sixteen hex digits (docs/kernel.md says why the width is fixed), or the decimal
    // number kernels before the reboot workers printed.
    static const std::regex pattern(R"(^ferros: stage ([a-z0-9-]+) vt=(?:0x([0-9a-f]{16})|([0-9]+))$)");
    std::smatch match;
    if (!std::regex_match(line, match, pattern))
        return false;
    StageEvent event;
    event.name = match[1];
    event.virtual_ns = match[2].matched ? std::stoull(match[2], nullptr, 16) : std::stoull(match[3]);
    m_stages.push_back(event);
    return true;
}

void Timeline::attach_boundary(const std::string& stage_name, uint64_t boundary)
{
    for (auto& stage : m_stages) {
        if (stage.name == stage_name && !stage.boundary) {
            stage.boundary = boundary;
            return;
        }
    }
}

const StageEvent* Timeline::find(const std::string& name) const
{
    for (auto const& stage : m_stages) {
        if (stage.name == name)
            return &stage;
    }
    return nullptr;
}

std::string Timeline::render() const
{
    std::string out
        = fmt::format("{:<18} {:>14} {:>14} {:>16}\n", "stage", "virtual ns", "instructions", "since entry");
    auto const* entry = find("kernel-entry");
    for (auto const& stage : m_stages) {
        std::string insns = stage.boundary ? fmt::format("{}", *stage.boundary) : "-";
        std::string since = "-";
        if (entry && stage.virtual_ns >= entry->virtual_ns) {
            if (stage.boundary && entry->boundary)
                since = fmt::format("{} insns", *stage.boundary - *entry->boundary);
            else
                since = fmt::format("{} ns", stage.virtual_ns - entry->virtual_ns);
        }
        out += fmt::format("{:<18} {:>14} {:>14} {:>16}\n", stage.name, stage.virtual_ns, insns, since);
    }
    if (m_end)
        out += fmt::format("{:<18} {:>14} {:>14}\n", "(run ended)", "", *m_end);
    return out;
}

} // namespace ferros::qemu
