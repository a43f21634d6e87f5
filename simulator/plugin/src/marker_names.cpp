#include <cstring>
#include <ferros/plugin/marker_names.h>
#include <ferros/plugin/plugin_arguments.h>

namespace ferros::plugin {

using abi::MarkerKind;

const char* marker_kind_name(MarkerKind kind)
{
    switch (kind) {
    case MarkerKind::Stage:
        return "stage";
    case MarkerKind::OpSubmitted:
        return "op-submitted";
    case MarkerKind::OpDurable:
        return "op-durable";
    case MarkerKind::Verdict:
        return "verdict";
    case MarkerKind::Fault:
        return "fault";
    case MarkerKind::OpFailed:
        return "op-failed";
    case MarkerKind::ProcessFault:
        return "process-fault";
    case MarkerKind::ServerRestarted:
        return "server-restarted";
    case MarkerKind::ServerGaveUp:
        return "server-gave-up";
    case MarkerKind::FaultInjected:
        return "fault-injected";
    case MarkerKind::GetAnswered:
        return "get-answered";
    }
    return nullptr;
}

ErrorOr<MarkerKind> parse_marker_kind(std::string_view text)
{
    for (int value = 1; value < 256; ++value) {
        auto kind = static_cast<MarkerKind>(value);
        const char* name = marker_kind_name(kind);
        if (name && text == name)
            return kind;
    }
    auto number = parse_number(text);
    if (number.is_error() || number.value() == 0 || number.value() > 255)
        return Error(ErrorCode::InvalidArgument,
            "unknown marker kind (stage, op-submitted, op-durable, verdict, fault, op-failed, process-fault)");
    return static_cast<MarkerKind>(number.value());
}

ErrorOr<uint64_t> parse_marker_spec(std::string_view text)
{
    auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return Error(ErrorCode::InvalidArgument, "expected KIND:PAYLOAD");
    MarkerKind kind = TRY(parse_marker_kind(text.substr(0, colon)));
    std::string_view payload_text = text.substr(colon + 1);
    if (kind == MarkerKind::Stage) {
        for (int id = 1; id < 256; ++id) {
            const char* stage = abi::boot_stage_text(static_cast<abi::BootStage>(id));
            if (stage && payload_text == stage)
                return abi::marker_word(kind, static_cast<uint64_t>(id));
        }
    }
    auto payload = parse_number(payload_text);
    if (payload.is_error())
        return Error(ErrorCode::InvalidArgument, "PAYLOAD is not a number (or, for stage, a stage name)");
    if (payload.value() > abi::marker_payload(~0ULL))
        return Error(ErrorCode::InvalidArgument, "PAYLOAD does not fit in 56 bits");
    return abi::marker_word(kind, payload.value());
}

} // namespace ferros::plugin
