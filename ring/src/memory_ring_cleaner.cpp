// The memory ring's head placement and its cleaner. The cleaner works one step at a time so
// that a checkpoint (or a test) can observe the ring between any two steps: each step leaves
// the ring verifiable, with every handle naming one complete copy of its allocation.
#include <ferros/ring/mem.h>
#include <ferros/ring/memory_ring.h>

namespace ferros::ring {

ErrorOr<MemoryRing::Placement> MemoryRing::place(
    uint64_t footprint, MemoryAlignment alignment, uint64_t keep_free, Commit commit)
{
    uint64_t head = m_state.head;
    uint64_t islands_left = island_bytes();
    // Islands a plan has taken back into the log (bit i: m_state.islands[i]); a commit removes them.
    uint64_t taken = 0;
    for (;;) {
        uint64_t const offset = head % m_state.capacity;
        uint64_t pre = 0;
        if (alignment == MemoryAlignment::Page)
            pre = (kMemoryPageSize - (offset + kMemoryHeaderSize) % kMemoryPageSize) % kMemoryPageSize;
        uint64_t const need = pre + footprint;

        // The nearest island the record would run into.
        uint64_t obstacle = kMaxIslands;
        for (uint64_t i = 0; i < m_state.island_count; ++i) {
            if ((taken >> i) & 1)
                continue;
            uint64_t const start = m_state.islands[i].offset;
            if (start >= offset && start < offset + need
                && (obstacle == kMaxIslands || start < m_state.islands[obstacle].offset))
                obstacle = i;
        }

        uint64_t advance = 0;
        uint64_t island = 0;
        if (obstacle != kMaxIslands) {
            island = m_state.islands[obstacle].footprint;
            advance = m_state.islands[obstacle].offset - offset + island;
        } else if (offset + need > m_state.capacity) {
            // Records never straddle the arena's end: pad to it and go on from offset 0.
            advance = m_state.capacity - offset;
        } else {
            uint64_t const used = head + need - m_state.tail + islands_left;
            if (used + keep_free > m_state.capacity)
                return Error(ErrorCode::NoSpace, "memory ring: no room at the head");
            if (commit == Commit::Yes) {
                if (pre > 0)
                    encode_memory_pad(pre, m_arena + offset);
                m_state.head = head + need;
            }
            return Placement { head + need, offset + pre };
        }

        if (head + advance - m_state.tail + islands_left - island > m_state.capacity)
            return Error(ErrorCode::NoSpace, "memory ring: no room at the head");
        if (commit == Commit::Yes) {
            uint64_t const gap = obstacle != kMaxIslands ? m_state.islands[obstacle].offset - offset : advance;
            if (gap > 0)
                encode_memory_pad(gap, m_arena + offset);
            if (obstacle != kMaxIslands) {
                // The island rejoins the log where it lies. It is dirty in this epoch because
                // everything the head passes in an epoch is (verify() checks that).
                uint64_t const island_offset = m_state.islands[obstacle].offset;
                auto& slot = m_slots[header_at(island_offset).handle_index];
                slot.state = MemoryHandleSlot::State::Live;
                rewrite_epoch(island_offset);
                remove_island(island_offset);
            }
            m_state.head = head + advance;
        } else if (obstacle != kMaxIslands) {
            taken |= uint64_t(1) << obstacle;
        }
        islands_left -= island;
        head += advance;
    }
}

ErrorOr<CleanStep> MemoryRing::clean_step()
{
    if (m_state.pending) {
        auto& slot = m_slots[m_state.pending_slot];
        MemoryHandle const handle((static_cast<uint64_t>(slot.generation) << 32) | m_state.pending_slot);
        if (m_observer.moved)
            m_observer.moved(m_observer.context, handle, m_arena + slot.offset + kMemoryHeaderSize,
                m_arena + m_state.pending_offset + kMemoryHeaderSize);
        slot.offset = m_state.pending_offset;
        // The copy's place changed in this epoch even if the copy was made in the last one.
        if (m_bug != MemoryRingBug::RelocationNotDirty)
            rewrite_epoch(m_state.pending_offset);
        m_state.pending = false;
        return CleanStep::Switched;
    }
    if (m_state.tail == m_state.head)
        return CleanStep::Idle;

    uint64_t const offset = m_state.tail % m_state.capacity;
    MemoryHeader header = header_at(offset);
    uint64_t const footprint = memory_record_footprint(header);
    if (header.kind == MemoryRecordKind::Pad || !is_live_at(header, offset)) {
        m_state.tail += footprint;
        return CleanStep::Reclaimed;
    }

    auto& slot = m_slots[header.handle_index];
    if (slot.pins > 0) {
        if (m_state.island_count == kMaxIslands)
            return Error(ErrorCode::Busy, "memory ring: a pinned allocation blocks the tail and no island is left");
        m_state.islands[m_state.island_count++] = Island { offset, footprint };
        slot.state = MemoryHandleSlot::State::Island;
        m_state.tail += footprint;
        return CleanStep::PassedPinned;
    }

    auto const alignment = (header.flags & kMemoryFlagPageAligned) ? MemoryAlignment::Page : MemoryAlignment::Packed;
    TRY(place(footprint, alignment, 0, Commit::No));
    Placement const placement = TRY(place(footprint, alignment, 0, Commit::Yes));
    copy_bytes(m_arena + placement.offset + kMemoryHeaderSize, m_arena + offset + kMemoryHeaderSize,
        footprint - kMemoryHeaderSize);
    if (m_bug != MemoryRingBug::RelocationNotDirty)
        header.epoch = m_state.epoch;
    encode_memory_header(header, m_arena + placement.offset);
    m_state.pending = true;
    m_state.pending_slot = header.handle_index;
    m_state.pending_offset = placement.offset;
    m_state.bytes_relocated += footprint;
    ++m_state.relocations;
    if (m_bug == MemoryRingBug::FreeBeforeSwitch)
        m_state.tail += footprint;
    return CleanStep::Copied;
}

ErrorOr<void> MemoryRing::clean(uint64_t bytes)
{
    uint64_t const start_tail = m_state.tail;
    while (m_state.pending || m_state.capacity - (m_state.head - m_state.tail) - island_bytes() < bytes) {
        if (m_state.tail - start_tail > m_state.capacity)
            return Error(ErrorCode::NoSpace, "memory ring: live data leaves no room after a full lap of cleaning");
        if (TRY(clean_step()) == CleanStep::Idle)
            return Error(ErrorCode::NoSpace, "memory ring: pinned islands leave no room");
    }
    return {};
}

} // namespace ferros::ring
