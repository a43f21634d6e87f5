#include <ferros/reconstruct/reconstructor.h>
#include <ferros/trace/file_hash.h>

namespace ferros::reconstruct {

using trace::EventKind;
using trace::TraceEvent;

ErrorOr<Reconstructor> Reconstructor::create(
    trace::TraceReader reader, std::vector<uint8_t> initial, const trace::TraceExpectations& expectations)
{
    TRY(reader.expect(expectations));
    if (initial.size() != reader.header().ssd_size)
        return Error(ErrorCode::InvalidArgument, "the initial image's size is not the trace's window size");
    if (trace::hash_bytes(ReadonlyBytes(initial.data(), initial.size())) != reader.header().image_hash)
        return Error(ErrorCode::Mismatch, "the trace starts from another SSD image");
    crash::Policy policy = TRY(crash::Policy::parse(reader.header().policy));
    Reconstructor reconstructor(std::move(reader), std::move(initial), policy);
    TRY(reconstructor.load_next());
    return reconstructor;
}

ErrorOr<bool> Reconstructor::load_next()
{
    while (m_next == m_events.size()) {
        if (m_exhausted)
            return false;
        m_next = 0;
        if (!TRY(m_reader.next_chunk(m_events))) {
            m_exhausted = true;
            m_events.clear();
            return false;
        }
    }
    return true;
}

void Reconstructor::apply(const TraceEvent& event)
{
    uint64_t base = m_reader.header().ssd_base;
    switch (event.kind) {
    case EventKind::Store:
        m_window.store(
            event.boundary, DeviceOffset(event.address.value() - base), ReadonlyBytes(event.value, event.size));
        break;
    case EventKind::Flush:
        m_window.flush();
        break;
    case EventKind::Marker:
        m_markers.push_back(Marker { event.boundary, event.value_u64() });
        break;
    }
}

ErrorOr<void> Reconstructor::advance_to(Boundary b)
{
    if (b < m_boundary)
        return Error(ErrorCode::OutOfRange, "boundaries only advance");
    if (b > end_boundary())
        return Error(ErrorCode::OutOfRange, "the boundary lies after the traced run's end");
    while (TRY(load_next()) && m_events[m_next].boundary <= b) {
        const TraceEvent& event = m_events[m_next];
        // The writer only records stores it clipped to the window; a store outside it means
        // the file is not what the header says.
        if (event.kind == EventKind::Store
            && (event.address.value() < header().ssd_base
                || event.address.value() + event.size > header().ssd_base + header().ssd_size))
            return Error(ErrorCode::Corrupt, "a store lies outside the trace's window");
        apply(event);
        ++m_next;
    }
    m_boundary = b;
    return {};
}

bool Reconstructor::durable_may_change_at_next_event() const
{
    if (m_next >= m_events.size())
        return false;
    Boundary const at = m_events[m_next].boundary;
    for (size_t i = m_next; i < m_events.size() && m_events[i].boundary == at; ++i) {
        if (m_events[i].kind == EventKind::Flush || i + 1 == m_events.size())
            return true;
    }
    return false;
}

std::optional<Boundary> Reconstructor::next_event_boundary() const
{
    // load_next() has always run after the last apply, so m_events[m_next] is the next
    // event if there is one.
    if (m_next < m_events.size())
        return m_events[m_next].boundary;
    return std::nullopt;
}

} // namespace ferros::reconstruct
