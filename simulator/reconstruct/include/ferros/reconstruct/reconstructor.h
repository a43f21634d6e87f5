#pragma once
// Reconstruction (DESIGN.md sections 2 and 4): from one trace, the device's state at any
// boundary b without running the guest again. advance_to(b) replays the trace's events up to
// b, so walking every boundary of a run costs one pass over the trace; at each b the caller
// reads Durable(b), Pending(b), the markers seen so far and the crash states the policy
// allows (CrashStates), which are byte for byte what a real cut at b leaves.
//
// Typical use (a campaign):
//   auto r = TRY(Reconstructor::create(TRY(TraceReader::open(path)), image, expectations));
//   for (uint64_t b = 0; b <= r.end_boundary().value(); ++b) {
//       TRY(r.advance_to(Boundary(b)));
//       auto states = TRY(r.states(policy, seed));   // count(), image(i), space().hash(i)
//   }
// Boundaries with no event between them share a state; next_event_boundary() lets a walker
// jump from one class of boundaries to the next instead of visiting each.

#include <compare> // strong.h uses <=> without including <compare>
#include <cstdint>
#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>
#include <ferros/crash/policy.h>
#include <ferros/reconstruct/crash_states.h>
#include <ferros/reconstruct/window_state.h>
#include <ferros/trace/trace_reader.h>
#include <optional>
#include <vector>

namespace ferros::reconstruct {

struct Marker {
    Boundary boundary; // right after the marker's store
    uint64_t word; // abi::marker_word
};

class Reconstructor {
public:
    // `initial` is the window's image at power-on (the run's image_in). Errors: Mismatch when
    // the image or `expectations` do not match the trace's header; InvalidArgument when the
    // image's size is not the window's; those of the trace's header policy parse (BadFormat).
    static ErrorOr<Reconstructor> create(
        trace::TraceReader reader, std::vector<uint8_t> initial, const trace::TraceExpectations& expectations = {});

    const trace::TraceHeader& header() const { return m_reader.header(); }
    // The boundary at which the traced run ended; valid boundaries are 0..end_boundary().
    Boundary end_boundary() const { return Boundary(m_reader.footer().end_boundary); }
    // The policy the traced run used (its header's), parsed.
    const crash::Policy& policy() const { return m_policy; }

    // Replays events up to boundary b inclusive. b must not decrease (OutOfRange "boundaries
    // only advance"; use a new Reconstructor to go back) nor pass end_boundary(). Errors of
    // the trace's chunks (Corrupt, Truncated, BadFormat) are handed up.
    ErrorOr<void> advance_to(Boundary b);
    Boundary boundary() const { return m_boundary; }
    // The first boundary > boundary() at which an event happens (the state may change
    // there), or nothing when no event remains.
    std::optional<Boundary> next_event_boundary() const;
    // Whether advancing to next_event_boundary() may change durable(): a FLUSH is among the
    // events there (or may be, when they run to the end of the chunk read so far). Until
    // then, durable() and the crash states made over it stay valid.
    bool durable_may_change_at_next_event() const;

    // Durable(b): the image at power-on plus every write a FLUSH at or before b made durable.
    ReadonlyBytes durable() const { return m_window.durable(); }
    // Pending(b): writes at or before b and after the last FLUSH, in program order.
    const std::vector<crash::PendingWrite>& pending() const { return m_window.pending(); }
    const WindowState& window() const { return m_window; }
    // Every marker at or before b, in order.
    const std::vector<Marker>& markers() const { return m_markers; }

    // The crash states at b under `policy` (the header's policy by default): valid until the
    // next advance_to().
    ErrorOr<CrashStates> states(uint64_t seed) const { return CrashStates::create(m_window, m_policy, seed); }
    ErrorOr<CrashStates> states(const crash::Policy& policy, uint64_t seed) const
    {
        return CrashStates::create(m_window, policy, seed);
    }

private:
    Reconstructor(trace::TraceReader reader, std::vector<uint8_t> initial, crash::Policy policy)
        : m_reader(std::move(reader))
        , m_window(std::move(initial))
        , m_policy(policy)
    {
    }
    // Makes m_events[m_next] the next unapplied event, reading a chunk when needed; false
    // when the trace has no more events.
    ErrorOr<bool> load_next();
    void apply(const trace::TraceEvent& event);

    trace::TraceReader m_reader;
    WindowState m_window;
    crash::Policy m_policy;
    Boundary m_boundary { 0 };
    std::vector<trace::TraceEvent> m_events;
    size_t m_next { 0 };
    bool m_exhausted { false };
    std::vector<Marker> m_markers;
};

} // namespace ferros::reconstruct
