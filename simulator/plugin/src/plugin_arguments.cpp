#include <ferros/abi/machine.h>
#include <ferros/machine/plugin_args.h>
#include <ferros/plugin/marker_names.h>
#include <ferros/plugin/plugin_arguments.h>

namespace ferros::plugin {

namespace args = ferros::plugin_args;

ErrorOr<uint64_t> parse_number(std::string_view text)
{
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        text.remove_prefix(2);
    }
    if (text.empty())
        return Error(ErrorCode::InvalidArgument, "not a number");
    uint64_t value = 0;
    for (char c : text) {
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = static_cast<unsigned>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            digit = static_cast<unsigned>(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            digit = static_cast<unsigned>(c - 'A' + 10);
        else
            return Error(ErrorCode::InvalidArgument, "not a number (decimal or 0x-hex)");
        if (value > (~0ULL - digit) / static_cast<uint64_t>(base))
            return Error(ErrorCode::OutOfRange, "number does not fit in 64 bits");
        value = value * static_cast<uint64_t>(base) + digit;
    }
    return value;
}

static ErrorOr<std::string> parse_path(std::string_view value)
{
    if (value.empty())
        return Error(ErrorCode::InvalidArgument, "empty path");
    return std::string(value);
}

ErrorOr<void> apply_argument(PluginArguments& a, std::string_view key, std::string_view value)
{
    if (key == args::kSsdBase) {
        uint64_t base = TRY(parse_number(value));
        if (base % abi::kPageSize != 0)
            return Error(ErrorCode::InvalidArgument, "not 4 KiB-aligned");
        if (base < abi::kSsdMinBase)
            return Error(ErrorCode::InvalidArgument, "below 16 MiB, where the marker and control pages lie");
        a.ssd_base = PhysicalAddress(base);
    } else if (key == args::kSsdSize) {
        uint64_t size = TRY(parse_number(value));
        if (size == 0 || size % abi::kPageSize != 0)
            return Error(ErrorCode::InvalidArgument, "not a positive multiple of 4 KiB");
        if (size > (1ULL << 40))
            return Error(ErrorCode::TooBig, "larger than 1 TiB");
        a.ssd_size = size;
    } else if (key == args::kImageIn) {
        a.image_in = TRY(parse_path(value));
    } else if (key == args::kImageOut) {
        a.image_out = TRY(parse_path(value));
    } else if (key == args::kPolicy) {
        if (value.empty())
            return Error(ErrorCode::InvalidArgument, "empty policy");
        a.policy = std::string(value);
    } else if (key == args::kState) {
        a.state = TRY(parse_number(value));
    } else if (key == args::kSeed) {
        a.seed = TRY(parse_number(value));
    } else if (key == args::kCutAt) {
        a.cut_at = Boundary(TRY(parse_number(value)));
    } else if (key == args::kCutMarker) {
        a.cut_marker = TRY(parse_marker_spec(value));
    } else if (key == args::kMaxInsns) {
        a.max_insns = Boundary(TRY(parse_number(value)));
    } else if (key == args::kTrace) {
        a.trace = TRY(parse_path(value));
    } else if (key == args::kEvents) {
        a.events = TRY(parse_path(value));
    } else if (key == args::kKernel) {
        a.kernel = TRY(parse_path(value));
    } else if (key == args::kWorkload) {
        a.workload = TRY(parse_path(value));
    } else if (key == args::kMachine) {
        a.machine = std::string(value);
    } else if (key == args::kWorker) {
        if (value != "on" && value != "off")
            return Error(ErrorCode::InvalidArgument, "expected on or off");
        a.worker = value == "on";
    } else if (key == args::kHandoffAt) {
        a.handoff_at = PhysicalAddress(TRY(parse_number(value)));
    } else if (key == args::kHandoffOut) {
        a.handoff_out = TRY(parse_path(value));
    } else if (key == args::kEntryAt) {
        a.entry_at = PhysicalAddress(TRY(parse_number(value)));
    } else if (key == args::kEntryBoundary) {
        a.entry_boundary = Boundary(TRY(parse_number(value)));
    } else {
        return Error(ErrorCode::InvalidArgument, "unknown key");
    }
    return {};
}

ErrorOr<void> check_arguments(const PluginArguments& a)
{
    if (a.ssd_base.has_value() != a.ssd_size.has_value())
        return Error(ErrorCode::InvalidArgument,
            a.ssd_base ? "ssd_size: missing (ssd_base needs it)" : "ssd_base: missing (ssd_size needs it)");
    if (a.ssd_base && a.ssd_base->value() + *a.ssd_size < a.ssd_base->value())
        return Error(ErrorCode::OutOfRange, "ssd_size: the window wraps around the address space");
    if (!a.has_window()) {
        if (a.image_in)
            return Error(ErrorCode::InvalidArgument, "image_in: needs ssd_base and ssd_size");
        if (a.image_out)
            return Error(ErrorCode::InvalidArgument, "image_out: needs ssd_base and ssd_size");
        if (a.trace)
            return Error(ErrorCode::InvalidArgument, "trace: needs ssd_base and ssd_size");
    }
    if (a.handoff_at.has_value() != a.handoff_out.has_value())
        return Error(ErrorCode::InvalidArgument,
            a.handoff_at ? "handoff_out: missing (handoff_at needs it)" : "handoff_at: missing (handoff_out needs it)");
    if (a.handoff_at && a.worker)
        return Error(ErrorCode::InvalidArgument, "handoff_at: a capture run is a single run, not a worker");
    if (a.worker && !a.events)
        return Error(ErrorCode::InvalidArgument, "worker: needs events (the verdicts go there)");
    if (a.worker && (a.image_in || a.image_out || a.cut_at || a.cut_marker || a.max_insns))
        return Error(ErrorCode::InvalidArgument,
            "worker: the host writes each state into guest RAM itself; image_in, image_out and cuts belong to "
            "single runs");
    if (a.entry_at.has_value() != a.entry_boundary.has_value())
        return Error(ErrorCode::InvalidArgument,
            a.entry_at ? "entry_boundary: missing (entry_at needs it)" : "entry_at: missing (entry_boundary needs it)");
    if (a.entry_at && !a.worker)
        return Error(ErrorCode::InvalidArgument, "entry_at: only a reboot worker begins its checks there");
    if (a.worker && a.trace && !a.entry_at)
        return Error(ErrorCode::InvalidArgument, "trace: a worker's traces begin at entry_at, which is missing");
    return {};
}

} // namespace ferros::plugin
