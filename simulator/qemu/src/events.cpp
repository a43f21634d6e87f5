#include <ferros/abi/machine.h>
#include <ferros/plugin/events_file.h>
#include <ferros/qemu/boot.h>
#include <fmt/format.h>
#include <fstream>

namespace ferros::qemu {

// The plugin's events file (docs/plugin.md), parsed with the plugin's own parser.
Result<void> attach_plugin_events(const std::string& events_path, Timeline& timeline)
{
    std::ifstream in(events_path);
    if (!in)
        return Failure(ErrorCode::NotFound, fmt::format("cannot read the plugin's events file '{}'", events_path));
    std::string line;
    size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        auto event = plugin::parse_event_line(line);
        if (event.is_error())
            return Failure(
                ErrorCode::BadFormat, fmt::format("{}:{}: malformed event line '{}'", events_path, number, line));
        auto const& e = event.value();
        if (e.is_end) {
            timeline.set_end(e.boundary.value());
            continue;
        }
        if (e.kind != abi::MarkerKind::Stage)
            continue;
        auto const* text = abi::boot_stage_text(static_cast<abi::BootStage>(e.payload));
        if (!text)
            return Failure(
                ErrorCode::BadFormat, fmt::format("{}:{}: unknown boot stage id {}", events_path, number, e.payload));
        timeline.attach_boundary(text, e.boundary.value());
    }
    return {};
}

std::optional<uint64_t> ready_instructions(const Timeline& timeline)
{
    auto const* entry = timeline.find("kernel-entry");
    auto const* ready = timeline.find("ready");
    if (!entry || !ready || !entry->boundary || !ready->boundary)
        return std::nullopt;
    return *ready->boundary - *entry->boundary;
}

} // namespace ferros::qemu
