#pragma once
// The plugin's state between QEMU's callbacks: the device model of the SSD window, the events
// file and the trace. It knows nothing of QEMU's API (qemu_glue.cpp does), so that the logic
// a cut depends on reads as plain C++.

#include <compare> // strong.h uses <=> without including <compare>
#include <cstdint>
#include <ferros/base/failure.h>
#include <ferros/base/strong.h>
#include <ferros/crash/policy.h>
#include <ferros/plugin/events_file.h>
#include <ferros/plugin/plugin_arguments.h>
#include <ferros/reconstruct/window_state.h>
#include <ferros/trace/trace_writer.h>
#include <memory>
#include <optional>
#include <string>

namespace ferros::plugin {

class PluginRuntime {
public:
    // Opens every file the arguments name. Errors: InvalidArgument (an argument names a file
    // that cannot be read or created, or a policy the crash model refuses), with the message.
    static Result<std::unique_ptr<PluginRuntime>> create(PluginArguments arguments);

    const PluginArguments& arguments() const { return m_arguments; }
    // Whether stores must be watched at all: counting-only runs skip the memory callback.
    bool watches_stores() const { return m_watches_stores; }

    // Called with the window's bytes as the guest sees them before its first instruction.
    // Errors: InvalidArgument when they are not image_in's.
    Result<void> check_initial_window(const uint8_t* bytes) const;

    // A store of `size` bytes (little-endian `value`) at guest-physical `address`, made by the
    // instruction that ends at `boundary`. Returns true when the plugin must cut power now
    // (cut_marker matched).
    bool on_store(Boundary boundary, uint64_t address, unsigned size, const uint8_t* value);

    // A reboot worker's guest wrote `value` to the exit port at `boundary` (QEMU runs on).
    // A worker that traces (arguments().trace) finishes the check's trace first, so that the
    // host, which waits for the exit line, finds the trace complete. Errors: Io.
    Result<void> guest_exit(Boundary boundary, uint8_t value);

    // A reboot worker's check begins (its kernel is about to run its first instruction) with
    // `window` in the SSD window: a tracing worker starts the check's trace, with a header
    // equal to a fresh QEMU's for the same image. Errors: Io.
    Result<void> begin_check(const uint8_t* window);

    // Power goes away at `boundary`: writes the durable image the policy leaves, the events
    // file's end line and the trace's footer. Only the first call acts. Errors:
    // InvalidArgument (the state= argument names a state the policy does not allow), Io (an
    // output could not be written), and the crash model's.
    Result<void> power_off(Boundary boundary, EndReason reason);
    // How many states the policy allowed at the power-off (0 before it, or without a window).
    uint64_t state_count() const { return m_state_count; }

private:
    explicit PluginRuntime(PluginArguments arguments);
    // The image the policy's state `state` leaves at this moment.
    ErrorOr<std::vector<uint8_t>> cut_image() const;
    // A trace writer for a run whose window starts as m_initial. Errors: InvalidArgument.
    Result<std::unique_ptr<trace::TraceWriter>> open_trace() const;
    void on_window_store(Boundary boundary, uint64_t address, unsigned size, const uint8_t* value);

    PluginArguments m_arguments;
    crash::Policy m_policy;
    mutable uint64_t m_state_count { 0 }; // states the last cut_image() chose among, for messages
    bool m_watches_stores { false };
    bool m_powered_off { false };
    uint64_t m_window_base { 0 };
    uint64_t m_window_end { 0 };
    std::vector<uint8_t> m_initial;
    std::optional<reconstruct::WindowState> m_window;
    std::optional<EventsFile> m_events;
    std::unique_ptr<trace::TraceWriter> m_trace;
    // The kernel and workload hashes for trace headers, computed once.
    uint64_t m_kernel_hash { 0 };
    uint64_t m_workload_hash { 0 };
};

} // namespace ferros::plugin
