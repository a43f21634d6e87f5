#pragma once
// The plugin's arguments (`-plugin libferros_plugin.so,KEY=VALUE,...`), parsed and checked
// before the plugin installs a single callback (seL4's decode-then-invoke). Key names come
// from ferros/machine/plugin_args.h; docs/plugin.md says what each means.

#include <compare> // strong.h uses <=> without including <compare>
#include <cstdint>
#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>
#include <optional>
#include <string>
#include <string_view>

namespace ferros::plugin {

struct PluginArguments {
    std::optional<PhysicalAddress> ssd_base;
    std::optional<uint64_t> ssd_size;
    std::optional<std::string> image_in;
    std::optional<std::string> image_out;
    std::string policy { "strict" };
    uint64_t state { 0 };
    uint64_t seed { 0 };
    std::optional<Boundary> cut_at;
    std::optional<uint64_t> cut_marker; // the whole marker word to cut after
    std::optional<Boundary> max_insns;
    std::optional<std::string> trace;
    std::optional<std::string> events;
    std::optional<std::string> kernel;
    std::optional<std::string> workload;
    std::string machine;
    // A reboot worker's QEMU (simulator/qemu/reboot_worker.h): the guest's write to the exit
    // port is reported as an `exit` event, flushed at once, instead of ending the run; every
    // events line is flushed as it is written, so the host sees each verdict as it happens.
    bool worker { false };
    // Capture the firmware's hand-off (ferros/plugin/handoff.h) when the instruction at
    // handoff_at is about to run, write it to handoff_out, and end the run (kPluginExitHandoff).
    std::optional<PhysicalAddress> handoff_at;
    std::optional<std::string> handoff_out;
    // A reboot worker's checks each begin when the instruction at entry_at (the kernel's entry)
    // is about to run; from there its boundaries are counted as a fresh QEMU counts them, whose
    // kernel entry comes at entry_boundary (after the firmware the worker does not run). With
    // a window and a trace, a worker writes one trace per check, from that instruction to the
    // guest's exit, equal to the trace a fresh QEMU writes of the same boot (--depth 2).
    std::optional<PhysicalAddress> entry_at;
    std::optional<Boundary> entry_boundary;

    bool has_window() const { return ssd_base.has_value(); }
};

// Applies one `key=value` argument. The error's context says why the value is refused, in a
// phrase that reads after "bad argument KEY=VALUE: ".
ErrorOr<void> apply_argument(PluginArguments& arguments, std::string_view key, std::string_view value);

// Checks what no single argument can: the window is complete and lies above the fixed pages,
// and every key that needs the window has one. The error's context names the key at fault
// first ("ssd_size: ...") so that callers can report it.
ErrorOr<void> check_arguments(const PluginArguments& arguments);

// A decimal or 0x-hexadecimal unsigned 64-bit number; nothing else, no sign, no spaces.
ErrorOr<uint64_t> parse_number(std::string_view text);

} // namespace ferros::plugin
