#include <cstdio>
#include <cstring>
#include <ferros/base/bytes.h>
#include <ferros/plugin/handoff.h>
#include <ferros/plugin/plugin_arguments.h>

namespace ferros::plugin {

namespace {

    // The start info's layout (Xen's hvm_start_info): magic, version, flags, nr_modules (u32
    // each), then modlist, cmdline, rsdp and memmap addresses (u64), memmap_entries (u32).
    constexpr size_t kStartInfoSize = 56;
    constexpr uint32_t kStartInfoMagic = 0x336ec578;
    constexpr size_t kVersionAt = 4, kModulesAt = 12, kCmdlineAt = 24, kMemmapAt = 40, kMemmapEntriesAt = 48;
    constexpr size_t kMemmapEntrySize = 24;
    // Bounds on what a firmware hands over; far beyond qboot's six entries and short line.
    constexpr uint32_t kMaxMemmapEntries = 128;
    constexpr size_t kMaxCmdline = 4096;

    // snprintf, not fmt: ferros_plugin_core links no fmt (the plugin itself uses fmt's
    // header-only form, the host libraries the compiled one).
    std::string hex(uint64_t value)
    {
        char text[24];
        std::snprintf(text, sizeof text, "%#llx", static_cast<unsigned long long>(value));
        return text;
    }

    Failure bad(std::string why) { return Failure(ErrorCode::BadFormat, "PVH hand-off: " + std::move(why)); }

} // namespace

Result<Handoff> collect_handoff(uint64_t start_info, const ReadGuest& read)
{
    Handoff handoff;
    handoff.start_info = start_info;
    HandoffRegion info { start_info, std::vector<uint8_t>(kStartInfoSize) };
    if (!read(start_info, kStartInfoSize, info.bytes.data()))
        return bad("the start info at " + hex(start_info) + " is not readable");
    auto const* p = info.bytes.data();
    if (load_le32(p) != kStartInfoMagic)
        return bad("no start info magic at " + hex(start_info));
    if (load_le32(p + kVersionAt) == 0)
        return bad("start info version 0 has no memory map");
    if (load_le32(p + kModulesAt) != 0)
        return Failure(ErrorCode::Unsupported, "PVH hand-off: the firmware passed modules (an initrd)");
    uint64_t const memmap = load_le64(p + kMemmapAt);
    auto const entries = load_le32(p + kMemmapEntriesAt);
    uint64_t const cmdline = load_le64(p + kCmdlineAt);
    handoff.regions.push_back(std::move(info));

    if (entries > kMaxMemmapEntries)
        return bad(std::to_string(entries) + " memory map entries");
    if (entries > 0) {
        HandoffRegion map { memmap, std::vector<uint8_t>(entries * kMemmapEntrySize) };
        if (!read(memmap, map.bytes.size(), map.bytes.data()))
            return bad("the memory map at " + hex(memmap) + " is not readable");
        handoff.regions.push_back(std::move(map));
    }
    if (cmdline != 0) {
        HandoffRegion line { cmdline, {} };
        // Byte by byte: the line may end just before memory that is not readable.
        for (size_t i = 0; i < kMaxCmdline; ++i) {
            uint8_t byte = 0;
            if (!read(cmdline + i, 1, &byte))
                return bad("the command line at " + hex(cmdline) + " is not readable");
            line.bytes.push_back(byte);
            if (byte == 0)
                break;
        }
        if (line.bytes.back() != 0)
            return bad("the command line has no NUL within 4 KiB");
        handoff.regions.push_back(std::move(line));
    }
    return handoff;
}

std::string format_handoff(const Handoff& handoff)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text = "ferros-handoff 2\nstart_info " + hex(handoff.start_info) + "\nentry_boundary "
        + std::to_string(handoff.entry_boundary) + "\n";
    for (auto const& region : handoff.regions) {
        text += "region " + hex(region.address) + " ";
        for (auto byte : region.bytes) {
            text += kDigits[byte >> 4];
            text += kDigits[byte & 15];
        }
        text += '\n';
    }
    return text;
}

Result<Handoff> parse_handoff(std::string_view text)
{
    Handoff handoff;
    bool have_header = false, have_start = false, have_entry = false;
    while (!text.empty()) {
        auto end = text.find('\n');
        if (end == std::string_view::npos)
            return bad("the last line has no newline");
        std::string_view line = text.substr(0, end);
        text.remove_prefix(end + 1);
        if (!have_header) {
            if (line != "ferros-handoff 2")
                return bad("not a hand-off file (no 'ferros-handoff 2' line)");
            have_header = true;
            continue;
        }
        auto space = line.find(' ');
        auto keyword = line.substr(0, space);
        auto rest = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
        if (keyword == "start_info" && !have_start) {
            auto number = parse_number(rest);
            if (number.is_error())
                return bad("bad start_info '" + std::string(rest) + "'");
            handoff.start_info = number.value();
            have_start = true;
        } else if (keyword == "entry_boundary" && have_start && !have_entry) {
            auto number = parse_number(rest);
            if (number.is_error())
                return bad("bad entry_boundary '" + std::string(rest) + "'");
            handoff.entry_boundary = number.value();
            have_entry = true;
        } else if (keyword == "region" && have_entry) {
            auto gap = rest.find(' ');
            auto number = parse_number(rest.substr(0, gap));
            auto hex = gap == std::string_view::npos ? std::string_view() : rest.substr(gap + 1);
            if (number.is_error() || hex.empty() || hex.size() % 2 != 0)
                return bad("bad region line '" + std::string(line.substr(0, 60)) + "'");
            HandoffRegion region { number.value(), {} };
            for (size_t i = 0; i < hex.size(); i += 2) {
                auto digit = [](char c) -> int {
                    if (c >= '0' && c <= '9')
                        return c - '0';
                    if (c >= 'a' && c <= 'f')
                        return c - 'a' + 10;
                    return -1;
                };
                int high = digit(hex[i]), low = digit(hex[i + 1]);
                if (high < 0 || low < 0)
                    return bad("a region's bytes are not lower-case hex");
                region.bytes.push_back(static_cast<uint8_t>(high << 4 | low));
            }
            if (region.address + region.bytes.size() < region.address)
                return bad("a region wraps around the address space");
            handoff.regions.push_back(std::move(region));
        } else {
            return bad("unexpected line '" + std::string(line.substr(0, 60)) + "'");
        }
    }
    if (!have_start)
        return bad("no start_info line");
    if (!have_entry)
        return bad("no entry_boundary line");
    if (handoff.regions.empty() || handoff.regions.front().address != handoff.start_info
        || handoff.regions.front().bytes.size() != kStartInfoSize)
        return bad("the first region is not the start info");
    return handoff;
}

} // namespace ferros::plugin
