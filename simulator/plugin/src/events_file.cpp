#include <cinttypes>
#include <ferros/plugin/events_file.h>
#include <ferros/plugin/marker_names.h>
#include <ferros/plugin/plugin_arguments.h>

namespace ferros::plugin {

const char* end_reason_name(EndReason reason)
{
    switch (reason) {
    case EndReason::Exit:
        return "exit";
    case EndReason::Cut:
        return "cut";
    case EndReason::MaxInsns:
        return "max-insns";
    }
    return "unknown";
}

ErrorOr<EventLine> parse_event_line(std::string_view line)
{
    auto first = line.find(' ');
    auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos)
        return Error(ErrorCode::BadFormat, "an events line is BOUNDARY KIND PAYLOAD");
    EventLine event;
    auto boundary = parse_number(line.substr(0, first));
    if (boundary.is_error())
        return Error(ErrorCode::BadFormat, "an events line's BOUNDARY is not a number");
    event.boundary = Boundary(boundary.value());
    std::string_view kind = line.substr(first + 1, second - first - 1);
    std::string_view rest = line.substr(second + 1);
    if (kind == "end") {
        event.is_end = true;
        for (auto reason : { EndReason::Exit, EndReason::Cut, EndReason::MaxInsns }) {
            if (rest == end_reason_name(reason)) {
                event.reason = reason;
                return event;
            }
        }
        return Error(ErrorCode::BadFormat, "an end line's REASON is not exit, cut or max-insns");
    }
    if (kind == "exit") {
        auto value = parse_number(rest);
        if (value.is_error() || value.value() > 0xff)
            return Error(ErrorCode::BadFormat, "an exit line's VALUE is not a byte");
        event.is_exit = true;
        event.payload = value.value();
        return event;
    }
    auto parsed_kind = parse_marker_kind(kind);
    if (parsed_kind.is_error())
        return Error(ErrorCode::BadFormat, "an events line's KIND is unknown");
    auto payload = parse_number(rest);
    if (payload.is_error())
        return Error(ErrorCode::BadFormat, "an events line's PAYLOAD is not a number");
    event.kind = parsed_kind.value();
    event.payload = payload.value();
    return event;
}

ErrorOr<EventsFile> EventsFile::create(const std::string& path)
{
    FILE* file = fopen(path.c_str(), "w");
    if (!file)
        return Error(ErrorCode::Io, "cannot create the events file");
    return EventsFile(file);
}

EventsFile::EventsFile(EventsFile&& other)
    : m_file(other.m_file)
{
    other.m_file = nullptr;
}

EventsFile::~EventsFile()
{
    if (m_file)
        fclose(m_file);
}

void EventsFile::marker(Boundary boundary, uint64_t word)
{
    if (!m_file)
        return;
    auto kind = abi::marker_kind(word);
    const char* name = marker_kind_name(kind);
    // A kind this build does not know is still reported, by number, rather than dropped.
    if (name)
        fprintf(m_file, "%" PRIu64 " %s %" PRIu64 "\n", boundary.value(), name, abi::marker_payload(word));
    else
        fprintf(m_file, "%" PRIu64 " %u %" PRIu64 "\n", boundary.value(), static_cast<unsigned>(kind),
            abi::marker_payload(word));
    if (m_flush_each_line)
        fflush(m_file);
}

void EventsFile::exit(Boundary boundary, uint8_t value)
{
    if (!m_file)
        return;
    fprintf(m_file, "%" PRIu64 " exit %u\n", boundary.value(), static_cast<unsigned>(value));
    fflush(m_file);
}

ErrorOr<void> EventsFile::end(Boundary boundary, EndReason reason)
{
    if (!m_file)
        return {};
    fprintf(m_file, "%" PRIu64 " end %s\n", boundary.value(), end_reason_name(reason));
    bool failed = ferror(m_file) != 0;
    failed |= fclose(m_file) != 0;
    m_file = nullptr;
    if (failed)
        return Error(ErrorCode::Io, "cannot write the events file");
    return {};
}

} // namespace ferros::plugin
