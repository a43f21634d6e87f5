#pragma once
// The events file: one text line per marker the guest stored, stamped with its boundary, and
// one last line saying how the run ended. docs/plugin.md specifies the format:
//
//   BOUNDARY KIND PAYLOAD      e.g. `1834 stage 2`, `90211 op-durable 7`
//   BOUNDARY end REASON        REASON: exit | cut | max-insns
//   BOUNDARY exit VALUE        a reboot worker's guest wrote VALUE to the exit port
//
// BOUNDARY and PAYLOAD are decimal. A marker's boundary is the one right after the store
// that carried it. `ferros run` parses this (parse_event_line) to print a boot timeline.

#include <compare> // strong.h uses <=> without including <compare>
#include <cstdint>
#include <cstdio>
#include <ferros/abi/machine.h>
#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>
#include <string>
#include <string_view>

namespace ferros::plugin {

enum class EndReason : uint8_t {
    Exit, // QEMU exited on its own: the guest powered off, or the user interrupted the run
    Cut, // the plugin cut power at cut_at or cut_marker
    MaxInsns, // the plugin stopped at max_insns
};

const char* end_reason_name(EndReason reason);

struct EventLine {
    Boundary boundary;
    bool is_end { false };
    bool is_exit { false }; // a worker's `exit` line; the value is in payload
    abi::MarkerKind kind { abi::MarkerKind::Stage }; // when !is_end
    uint64_t payload { 0 }; // when !is_end
    EndReason reason { EndReason::Exit }; // when is_end
};

// Parses one line (without its newline).
ErrorOr<EventLine> parse_event_line(std::string_view line);

class EventsFile {
public:
    // Creates (truncates) the file at `path`.
    static ErrorOr<EventsFile> create(const std::string& path);
    EventsFile(EventsFile&& other);
    EventsFile& operator=(EventsFile&&) = delete;
    ~EventsFile();

    void marker(Boundary boundary, uint64_t word);
    // A reboot worker's guest asked to exit with `value` (abi::ExitValue); QEMU runs on.
    void exit(Boundary boundary, uint8_t value);
    // Flush every line as it is written (reboot workers: the host waits for them).
    void flush_each_line() { m_flush_each_line = true; }
    // Writes the end line and closes the file; further calls do nothing.
    ErrorOr<void> end(Boundary boundary, EndReason reason);

private:
    explicit EventsFile(FILE* file)
        : m_file(file)
    {
    }
    FILE* m_file { nullptr };
    bool m_flush_each_line { false };
};

} // namespace ferros::plugin
