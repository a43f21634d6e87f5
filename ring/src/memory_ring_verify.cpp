// R13 (DESIGN.md 11): the memory ring's structure, checked from its bytes and its handle table
// alone, so that it can run on a ring restored from a checkpoint as well as on a live one.
#include <ferros/ring/memory_ring.h>

namespace ferros::ring {

namespace {

    Error corrupt(const char* what) { return Error(ErrorCode::Corrupt, what); }

} // namespace

ErrorOr<void> MemoryRing::verify_record(uint64_t offset, const MemoryHeader& header, uint64_t position, bool in_log,
    uint64_t& live_found, uint64_t& live_bytes, uint64_t& live_footprint) const
{
    if ((header.flags & kMemoryFlagPageAligned) && (offset + kMemoryHeaderSize) % kMemoryPageSize != 0)
        return corrupt("memory ring: a page-aligned allocation's payload is not on a page boundary");
    if (header.epoch > m_state.epoch)
        return corrupt("memory ring: an allocation's epoch is ahead of the ring's");
    // What the head wrote in this epoch must be dirty in it, or an incremental checkpoint
    // would miss it (a relocated copy, an island taken back into the log).
    if (in_log && position >= m_state.epoch_start && header.epoch != m_state.epoch)
        return corrupt("memory ring: an allocation written since the epoch began is not dirty in it");
    if (header.handle_index >= m_slot_count)
        return corrupt("memory ring: an allocation names a handle slot beyond the table");
    if (!is_live_at(header, offset))
        return {};
    auto const state = m_slots[header.handle_index].state;
    if (state != (in_log ? MemoryHandleSlot::State::Live : MemoryHandleSlot::State::Island))
        return corrupt("memory ring: a handle's state disagrees with where its allocation lies");
    ++live_found;
    live_bytes += header.size;
    live_footprint += memory_record_footprint(header);
    return {};
}

ErrorOr<void> MemoryRing::verify() const
{
    if (m_state.tail > m_state.head || m_state.tail % kMemoryAlignment != 0 || m_state.head % kMemoryAlignment != 0)
        return corrupt("memory ring: tail and head are out of order or unaligned");
    uint64_t const log_bytes = m_state.head - m_state.tail;
    uint64_t const islands = island_bytes();
    if (log_bytes + islands > m_state.capacity)
        return corrupt("memory ring: the log and the islands take more than the arena");
    if (m_state.epoch_start > m_state.head)
        return corrupt("memory ring: the epoch began beyond the head");

    uint64_t live_found = 0;
    uint64_t live_bytes = 0;
    uint64_t live_footprint = 0;
    bool pending_found = false;
    for (uint64_t position = m_state.tail; position < m_state.head;) {
        uint64_t const offset = position % m_state.capacity;
        MemoryHeader const header = TRY(decode_memory_header(m_arena + offset, m_state.capacity - offset));
        uint64_t const footprint = memory_record_footprint(header);
        if (position + footprint > m_state.head)
            return corrupt("memory ring: a record crosses the head");
        if (header.kind == MemoryRecordKind::Allocation) {
            TRY(verify_record(offset, header, position, true, live_found, live_bytes, live_footprint));
            if (m_state.pending && offset == m_state.pending_offset)
                pending_found = true;
        }
        position += footprint;
    }

    // Islands lie in the free part of the arena (from the head round to the tail), apart.
    uint64_t const free_length = m_state.capacity - log_bytes;
    uint64_t const head_offset = m_state.head % m_state.capacity;
    for (uint64_t i = 0; i < m_state.island_count; ++i) {
        Island const& island = m_state.islands[i];
        if (island.offset % kMemoryAlignment != 0 || island.offset >= m_state.capacity)
            return corrupt("memory ring: an island is unaligned or outside the arena");
        uint64_t const distance = (island.offset + m_state.capacity - head_offset) % m_state.capacity;
        if (distance + island.footprint > free_length)
            return corrupt("memory ring: an island overlaps the log");
        for (uint64_t j = 0; j < i; ++j) {
            uint64_t const other = (m_state.islands[j].offset + m_state.capacity - head_offset) % m_state.capacity;
            if (distance < other + m_state.islands[j].footprint && other < distance + island.footprint)
                return corrupt("memory ring: two islands overlap");
        }
        MemoryHeader const header
            = TRY(decode_memory_header(m_arena + island.offset, m_state.capacity - island.offset));
        if (header.kind != MemoryRecordKind::Allocation || memory_record_footprint(header) != island.footprint
            || !is_live_at(header, island.offset))
            return corrupt("memory ring: an island is not the live allocation it was");
        TRY(verify_record(island.offset, header, 0, false, live_found, live_bytes, live_footprint));
    }

    if (m_state.pending) {
        if (!pending_found)
            return corrupt("memory ring: the cleaner's pending copy is not in the log");
        // Decoded afresh, not through header_at(): a restored state may name any offset.
        MemoryHeader const copy
            = TRY(decode_memory_header(m_arena + m_state.pending_offset, m_state.capacity - m_state.pending_offset));
        auto const& slot = m_slots[m_state.pending_slot];
        if (copy.handle_index != m_state.pending_slot || slot.state != MemoryHandleSlot::State::Live
            || copy.generation != slot.generation || slot.offset >= m_state.capacity)
            return corrupt("memory ring: the cleaner's pending copy is not a copy of its allocation");
        MemoryHeader const original = TRY(decode_memory_header(m_arena + slot.offset, m_state.capacity - slot.offset));
        if (original.size != copy.size || original.flags != copy.flags)
            return corrupt("memory ring: the cleaner's pending copy is not a copy of its allocation");
    }

    // Every handle in use was found exactly once: a slot names one offset, and the walk counted
    // each offset that a slot names.
    uint64_t in_use = 0;
    for (uint32_t i = 0; i < m_slot_count; ++i) {
        if (m_slots[i].state != MemoryHandleSlot::State::Free)
            ++in_use;
        else if (m_slots[i].pins != 0)
            return corrupt("memory ring: a free handle slot is pinned");
    }
    if (in_use != live_found)
        return corrupt("memory ring: a live handle points outside the log and the islands");
    uint64_t free_slots = 0;
    for (uint32_t i = m_state.free_slot; i != kMemoryNoHandle; i = m_slots[i].next_free) {
        if (i >= m_slot_count || m_slots[i].state != MemoryHandleSlot::State::Free || ++free_slots > m_slot_count)
            return corrupt("memory ring: the free list of handle slots is broken");
    }
    if (free_slots + in_use != m_slot_count)
        return corrupt("memory ring: a free handle slot is missing from the free list");
    if (live_found != m_state.live_allocations || live_bytes != m_state.live_bytes
        || live_footprint != m_state.live_footprint)
        return corrupt("memory ring: the live counters disagree with the allocations found");
    return {};
}

} // namespace ferros::ring
