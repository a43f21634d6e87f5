#include <algorithm>
#include <ferros/abi/machine.h>
#include <ferros/campaign/situations.h>
#include <ferros/ring/record.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/limits.h>
#include <ferros/storage/store.h>
#include <ferros/trace/trace_reader.h>
#include <fmt/format.h>

namespace ferros::campaign {

using ring::RingPosition;

namespace {

    struct PhaseName {
        CutPhase phase;
        const char* name;
        bool expected;
    };
    constexpr PhaseName kPhaseNames[] {
        { CutPhase::Idle, "idle", false },
        { CutPhase::CommitWritten, "commit.written", true },
        { CutPhase::CommitFlushed, "commit.flushed", true },
        { CutPhase::CleanRelocating, "clean.relocating", true },
        { CutPhase::CheckpointDataWritten, "checkpoint.data-written", true },
        { CutPhase::CheckpointDataFlushed, "checkpoint.data-flushed", true },
        { CutPhase::CheckpointAnchorWritten, "checkpoint.anchor-written", true },
        { CutPhase::CheckpointAnchorFlushed, "checkpoint.anchor-flushed", true },
        { CutPhase::MountAnchorWritten, "mount.anchor-written", false },
        { CutPhase::MountAnchorFlushed, "mount.anchor-flushed", false },
        { CutPhase::Other, "other", false },
    };
    static_assert(std::size(kPhaseNames) == kCutPhases);

    // Keys of pending items that are not records at an expected place.
    constexpr uint64_t kStrayKey = ~0ull;

} // namespace

const char* cut_phase_name(CutPhase phase) { return kPhaseNames[static_cast<size_t>(phase)].name; }

bool cut_phase_expected(CutPhase phase) { return kPhaseNames[static_cast<size_t>(phase)].expected; }

std::optional<CutPhase> cut_phase_from_name(std::string_view name)
{
    for (auto const& entry : kPhaseNames) {
        if (name == entry.name)
            return entry.phase;
    }
    return std::nullopt;
}

#define FERROS_SITUATION_FIELDS(X)                                                                                     \
    X(ring_length)                                                                                                     \
    X(ring_bytes)                                                                                                      \
    X(wraps)                                                                                                           \
    X(pads)                                                                                                            \
    X(minimal_pads)                                                                                                    \
    X(padless_wraps)                                                                                                   \
    X(commit_records)                                                                                                  \
    X(commit_bytes)                                                                                                    \
    X(node_records)                                                                                                    \
    X(node_bytes)                                                                                                      \
    X(relocation_records)                                                                                              \
    X(relocated_bytes)                                                                                                 \
    X(anchors)                                                                                                         \
    X(mount_anchors)                                                                                                   \
    X(checkpoints)                                                                                                     \
    X(cleaning_passes)                                                                                                 \
    X(tail_bytes)                                                                                                      \
    X(max_ring_used)                                                                                                   \
    X(max_live_charge)                                                                                                 \
    X(capacity)                                                                                                        \
    X(refused_nospace)                                                                                                 \
    X(refused_too_big)                                                                                                 \
    X(stray_writes)

std::vector<std::pair<std::string, uint64_t>> RunSituations::fields() const
{
    std::vector<std::pair<std::string, uint64_t>> out;
#define FERROS_FIELD_OUT(name) out.emplace_back(#name, name);
    FERROS_SITUATION_FIELDS(FERROS_FIELD_OUT)
#undef FERROS_FIELD_OUT
    return out;
}

ErrorOr<RunSituations> RunSituations::from_fields(const std::vector<std::pair<std::string, uint64_t>>& fields)
{
    RunSituations s;
    size_t known = 0;
    for (auto const& [key, value] : fields) {
        bool matched = false;
#define FERROS_FIELD_IN(name)                                                                                          \
    if (key == #name) {                                                                                                \
        s.name = value;                                                                                                \
        matched = true;                                                                                                \
    }
        FERROS_SITUATION_FIELDS(FERROS_FIELD_IN)
#undef FERROS_FIELD_IN
        if (!matched)
            return Error(ErrorCode::BadFormat, "unknown situation counter");
        ++known;
    }
    if (known != s.fields().size())
        return Error(ErrorCode::BadFormat, "situation counters missing");
    return s;
}

ErrorOr<SituationTracker> SituationTracker::create(std::vector<uint8_t> initial, const abi::Workload& workload)
{
    auto geometry = ring::Geometry::create(initial.size());
    if (geometry.is_error())
        return Error(ErrorCode::InvalidArgument, "the initial image is not of a store's size");

    // Where the kernel's mount will find the head and the next sequence number: the same
    // store code, on a copy (its own epoch anchor lands in the copy, not in the image).
    storage::HostSsd ssd(initial, storage::HostSsd::Tracking::Off);
    std::vector<uint64_t> memory((storage::Store::kMemorySize + 7) / 8);
    storage::Store store(ssd, Bytes(reinterpret_cast<uint8_t*>(memory.data()), storage::Store::kMemorySize));
    if (store.mount().is_error())
        return Error(ErrorCode::InvalidArgument, "the initial image holds no store that mounts");
    auto const shape = store.shape();

    SituationTracker tracker(std::move(initial), geometry.value());
    // The anchor in force before the run: the mount's own is one generation and epoch newer.
    tracker.m_anchor = shape.anchor;
    tracker.m_anchor.generation = shape.anchor.generation - 1;
    tracker.m_anchor.epoch = shape.anchor.epoch - 1;
    tracker.m_next_position = shape.head.value();
    tracker.m_start_position = shape.head.value();
    tracker.m_head = shape.head.value();
    tracker.m_next_sequence = shape.next_sequence.value();
    tracker.m_max_record = store.max_record();
    tracker.m_situations.ring_length = geometry.value().ring_length();
    tracker.m_situations.capacity = store.capacity();
    tracker.m_phases.push_back(PhaseChange { 0, CutPhase::Idle });

    bool open = false;
    for (auto cursor = workload.ops(); !cursor.at_end();) {
        auto const op = cursor.next();
        uint64_t const record = ring::kRecordHeaderSize + storage::kTxnPayloadHeaderSize + storage::kTxnOpHeaderSize
            + op.key.size() + (op.is_put() ? op.value_length : 0);
        tracker.m_ops.push_back(OpInfo { op.code, open, record });
        if (op.code == abi::OpCode::Begin)
            open = true;
        if (op.code == abi::OpCode::Commit)
            open = false;
    }
    return tracker;
}

size_t SituationTracker::item_for(uint64_t boundary, uint64_t key, bool anchor, uint8_t kind)
{
    for (size_t i = m_items.size(); i-- > 0;) {
        if (m_items[i].key == key && m_items[i].anchor == anchor)
            return i;
    }
    m_items.push_back(Item { boundary, key, anchor, kind });
    return m_items.size() - 1;
}

void SituationTracker::resolve(uint64_t key, bool anchor, uint8_t kind)
{
    for (size_t i = m_items.size(); i-- > 0;) {
        if (m_items[i].key == key && m_items[i].anchor == anchor) {
            m_items[i].kind = kind;
            return;
        }
    }
}

void SituationTracker::store(uint64_t boundary, uint64_t offset, const uint8_t* bytes, size_t size)
{
    if (offset >= m_image.size())
        return;
    size = std::min<uint64_t>(size, m_image.size() - offset);
    std::copy(bytes, bytes + size, m_image.begin() + static_cast<std::ptrdiff_t>(offset));
    if (offset < ring::kRingStart) {
        uint64_t const slot = offset / ring::kAnchorSlotSize;
        item_for(boundary, slot, true, kUnresolved);
        check_anchor(slot);
        return;
    }
    uint64_t const length = m_geometry.ring_length();
    uint64_t const at = offset - ring::kRingStart; // physical offset in the ring
    auto within = [&](uint64_t start, uint64_t bytes_from_start) {
        uint64_t const physical = start % length;
        return at >= physical && at < physical + bytes_from_start;
    };
    // The record being written (known from its header), or the one expected next, whose
    // header may not be whole yet; anything else is a write the format does not place.
    if (m_record_kind != kUnresolved && within(m_record_start, m_record_end - m_record_start)) {
        item_for(boundary, m_record_start, false, m_record_kind);
    } else if (within(m_next_position, m_geometry.room_before_end(RingPosition(m_next_position)))) {
        item_for(boundary, m_next_position, false, kUnresolved);
    } else {
        ++m_situations.stray_writes;
        item_for(boundary, kStrayKey, false, kStray);
    }
    follow_records(at, size);
}

void SituationTracker::mark_header(uint64_t at, size_t size)
{
    // Which bytes of the expected header this store wrote (both as physical ring offsets).
    uint64_t const header = m_next_position % m_geometry.ring_length();
    uint64_t const first = std::max(at, header);
    uint64_t const end = std::min(at + size, header + ring::kRecordHeaderSize);
    for (uint64_t byte = first; byte < end; ++byte)
        m_header_written |= 1ull << (byte - header);
}

void SituationTracker::follow_records(uint64_t at, size_t size)
{
    mark_header(at, size);
    auto advance = [&](uint64_t bytes) {
        m_next_position += bytes;
        m_header_written = 0;
        mark_header(at, size);
    };
    while (true) {
        uint64_t const room = m_geometry.room_before_end(RingPosition(m_next_position));
        if (room < ring::kRecordHeaderSize) {
            // Readers and writers skip to the next lap by themselves (no Pad fits).
            ++m_situations.padless_wraps;
            advance(room);
            continue;
        }
        if (m_header_written != (1ull << ring::kRecordHeaderSize) - 1)
            return;
        // A header is the one expected once all of its bytes were written since the record
        // before it: its position and sequence number are unique in the life of the store, so
        // stale bytes of an earlier lap never pass.
        auto const* at = m_image.data() + m_geometry.offset_of(RingPosition(m_next_position)).value();
        auto header = ring::decode_header(at);
        if (header.is_error())
            return;
        auto const h = header.value();
        if (h.position.value() != m_next_position || h.sequence.value() != m_next_sequence || h.length > room)
            return;
        if (h.type == ring::RecordType::Pad) {
            ++m_situations.pads;
            // Exactly a Pad's room left: the edge between a Pad and no Pad at all.
            m_situations.minimal_pads += room == ring::kRecordHeaderSize ? 1 : 0;
            m_pad_item.reset();
            for (size_t i = m_items.size(); i-- > 0;) {
                if (!m_items[i].anchor && m_items[i].key == m_next_position)
                    m_pad_item = i;
            }
            advance(room);
            ++m_next_sequence;
            continue;
        }
        uint64_t const footprint = ring::record_footprint(h.length);
        uint8_t kind = kNode;
        if (h.type == ring::RecordType::Txn) {
            bool const relocation = (h.flags & ring::kTxnFlagRelocation) != 0;
            kind = relocation ? kRelocation : kCommit;
            (relocation ? m_situations.relocation_records : m_situations.commit_records)++;
            (relocation ? m_situations.relocated_bytes : m_situations.commit_bytes) += footprint;
            m_situations.max_live_charge = std::max(m_situations.max_live_charge, h.aux);
        } else {
            ++m_situations.node_records;
            m_situations.node_bytes += footprint;
        }
        resolve(m_next_position, false, kind);
        if (m_pad_item) {
            if (*m_pad_item < m_items.size())
                m_items[*m_pad_item].kind = kind;
            m_pad_item.reset();
        }
        m_record_start = m_next_position;
        m_record_end = m_next_position + footprint;
        m_record_kind = kind;
        advance(footprint);
        m_head = m_next_position;
        ++m_next_sequence;
        m_situations.max_ring_used = std::max(m_situations.max_ring_used, m_head - m_anchor.tail.value());
    }
}

void SituationTracker::check_anchor(uint64_t slot)
{
    // An anchor counts once it is whole: its CRC fails while any of it is the old slot's.
    auto anchor
        = ring::decode_anchor(m_image.data() + slot * ring::kAnchorSlotSize, m_geometry, ring::VerifyChecksum::Yes);
    if (anchor.is_error() || anchor.value().generation <= m_anchor.generation)
        return;
    auto const& a = anchor.value();
    bool const mount = a.epoch > m_anchor.epoch;
    ++m_situations.anchors;
    if (mount) {
        ++m_situations.mount_anchors;
    } else {
        ++m_situations.checkpoints;
        if (a.tail.value() > m_anchor.tail.value()) {
            ++m_situations.cleaning_passes;
            m_situations.tail_bytes += a.tail.value() - m_anchor.tail.value();
        }
    }
    resolve(slot, true, mount ? kMountAnchor : kCheckpointAnchor);
    m_anchor = a;
}

void SituationTracker::marker(uint64_t, uint64_t word)
{
    if (abi::marker_kind(word) != abi::MarkerKind::OpFailed)
        return;
    uint64_t const index = abi::marker_payload(word);
    if (index >= m_ops.size())
        return;
    auto const& op = m_ops[index];
    bool const change
        = op.code == abi::OpCode::Put || op.code == abi::OpCode::PutSeeded || op.code == abi::OpCode::Delete;
    if (op.code == abi::OpCode::Commit) {
        // The only refusal of a commit of an open transaction is NoSpace (docs/storage-format.md 6.1).
        if (op.in_transaction)
            ++m_situations.refused_nospace;
    } else if (change && op.in_transaction) {
        // A change inside a transaction is refused only for its size.
        ++m_situations.refused_too_big;
    } else if (change) {
        // A change on its own is a transaction of one: too big for a record, or NoSpace.
        bool const too_big = op.record_size > m_max_record;
        (too_big ? m_situations.refused_too_big : m_situations.refused_nospace)++;
    }
}

void SituationTracker::flush(uint64_t boundary) { settle(boundary, true); }

void SituationTracker::finish()
{
    settle(0, false);
    uint64_t const length = m_geometry.ring_length();
    m_situations.ring_bytes = m_head - m_start_position;
    m_situations.wraps = m_next_position / length - m_start_position / length;
}

CutPhase SituationTracker::phase_of(uint8_t pending, uint8_t flushed) const
{
    if (pending) {
        if (pending & kMountAnchor)
            return CutPhase::MountAnchorWritten;
        if (pending & kCheckpointAnchor)
            return CutPhase::CheckpointAnchorWritten;
        if (pending & kRelocation)
            return CutPhase::CleanRelocating;
        if (pending & kNode)
            return CutPhase::CheckpointDataWritten;
        if (pending & kCommit)
            return CutPhase::CommitWritten;
        return CutPhase::Other;
    }
    if (flushed & kMountAnchor)
        return CutPhase::MountAnchorFlushed;
    if (flushed & kCheckpointAnchor)
        return CutPhase::CheckpointAnchorFlushed;
    if (flushed & (kNode | kRelocation))
        return CutPhase::CheckpointDataFlushed;
    if (flushed & kCommit)
        return CutPhase::CommitFlushed;
    if (flushed & kStray)
        return CutPhase::Other;
    return CutPhase::Idle;
}

void SituationTracker::emit(uint64_t boundary, CutPhase phase)
{
    if (m_phases.back().boundary == boundary) {
        m_phases.back().phase = phase;
        if (m_phases.size() > 1 && m_phases[m_phases.size() - 2].phase == phase)
            m_phases.pop_back();
        return;
    }
    if (m_phases.back().phase != phase)
        m_phases.push_back(PhaseChange { boundary, phase });
}

void SituationTracker::settle(uint64_t flush_boundary, bool flushed)
{
    // Everything pending is known now (a record's header and an anchor are whole before the
    // FLUSH): label each boundary since the last FLUSH by what had been written by then.
    uint8_t pending = 0;
    for (auto& item : m_items) {
        if (item.kind == kUnresolved) {
            item.kind = kStray;
            ++m_situations.stray_writes;
        }
        pending |= item.kind;
        emit(item.first_boundary, phase_of(pending, m_flushed));
    }
    if (flushed) {
        if (pending)
            m_flushed = pending;
        emit(flush_boundary, phase_of(0, m_flushed));
    }
    m_items.clear();
    m_pad_item.reset();
}

Result<SituationTracker> scan_situations(
    const std::string& trace_path, std::vector<uint8_t> initial, const abi::Workload& workload)
{
    auto opened = trace::TraceReader::open(trace_path);
    if (opened.is_error())
        return Failure(opened.error()).in(fmt::format("trace '{}'", trace_path));
    auto reader = opened.release_value();
    auto created = SituationTracker::create(std::move(initial), workload);
    if (created.is_error())
        return Failure(created.error());
    auto tracker = created.release_value();
    uint64_t const base = reader.header().ssd_base;
    uint64_t const size = reader.header().ssd_size;
    std::vector<trace::TraceEvent> events;
    while (true) {
        auto more = reader.next_chunk(events);
        if (more.is_error())
            return Failure(more.error()).in(fmt::format("trace '{}'", trace_path));
        if (!more.value())
            break;
        for (auto const& event : events) {
            uint64_t const boundary = event.boundary.value();
            switch (event.kind) {
            case trace::EventKind::Store: {
                uint64_t const address = event.address.value();
                if (address >= base && address < base + size)
                    tracker.store(boundary, address - base, event.value, event.size);
                break;
            }
            case trace::EventKind::Flush:
                tracker.flush(boundary);
                break;
            case trace::EventKind::Marker:
                tracker.marker(boundary, event.value_u64());
                break;
            }
        }
    }
    tracker.finish();
    return tracker;
}

} // namespace ferros::campaign
