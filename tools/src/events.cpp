#include <ferros/abi/machine.h>
#include <ferros/tools/boot.h>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace ferros::tools {

// The plugin's events file (docs/plugin.md): one marker a line, `BOUNDARY KIND PAYLOAD`.
std::optional<std::string> attach_plugin_events(const std::string& events_path, Timeline& timeline)
{
    std::ifstream in(events_path);
    if (!in)
        return fmt::format("cannot read the plugin's events file '{}'", events_path);
    std::string line;
    size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        std::istringstream fields(line);
        uint64_t boundary = 0, payload = 0;
        std::string kind;
        if (!(fields >> boundary >> kind >> payload))
            return fmt::format("{}:{}: malformed event line '{}'", events_path, number, line);
        if (kind != "stage")
            continue;
        auto const* text = abi::boot_stage_text(static_cast<abi::BootStage>(payload));
        if (!text)
            return fmt::format("{}:{}: unknown boot stage id {}", events_path, number, payload);
        timeline.attach_boundary(text, boundary);
    }
    return std::nullopt;
}

} // namespace ferros::tools
