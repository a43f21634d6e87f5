// The memory ring's allocation, access and pinning (the cleaner is in memory_ring_cleaner.cpp,
// the verification in memory_ring_verify.cpp).
#include <ferros/ring/mem.h>
#include <ferros/ring/memory_ring.h>

namespace ferros::ring {

ErrorOr<MemoryRing> MemoryRing::create(Bytes arena, Span<MemoryHandleSlot> table)
{
    auto const base = reinterpret_cast<uintptr_t>(arena.data());
    if (base % kMemoryPageSize != 0 || arena.size() % kMemoryPageSize != 0 || arena.size() < kMinCapacity)
        return Error(ErrorCode::InvalidArgument, "memory ring: the arena must be whole pages, at least 64 KiB");
    if (table.empty() || table.size() >= kMemoryNoHandle)
        return Error(ErrorCode::InvalidArgument, "memory ring: the handle table needs 1 to 2^32 - 2 slots");
    return MemoryRing(arena.data(), arena.size(), table.data(), static_cast<uint32_t>(table.size()));
}

MemoryRing::MemoryRing(uint8_t* arena, uint64_t capacity, MemoryHandleSlot* slots, uint32_t slot_count)
    : m_arena(arena)
    , m_slots(slots)
    , m_slot_count(slot_count)
{
    m_state.capacity = capacity;
    m_state.free_slot = 0;
    for (uint32_t i = 0; i < slot_count; ++i)
        slots[i]
            = MemoryHandleSlot { 0, 1, i + 1 < slot_count ? i + 1 : kMemoryNoHandle, 0, MemoryHandleSlot::State::Free };
}

ErrorOr<MemoryRing> MemoryRing::restore(Bytes arena, Span<MemoryHandleSlot> table, const MemoryRingState& state)
{
    auto const base = reinterpret_cast<uintptr_t>(arena.data());
    if (base % kMemoryPageSize != 0 || arena.size() != state.capacity || arena.size() % kMemoryPageSize != 0
        || arena.size() < kMinCapacity || table.empty() || table.size() >= kMemoryNoHandle)
        return Error(ErrorCode::InvalidArgument, "memory ring: the arena or the table is not the captured size");
    if (state.island_count > kMaxIslands || (state.free_slot != kMemoryNoHandle && state.free_slot >= table.size())
        || (state.pending && (state.pending_slot >= table.size() || state.pending_offset >= state.capacity)))
        return Error(ErrorCode::Corrupt, "memory ring: the captured state is out of range");
    // The constructor formats the table; the captured one goes back in over it.
    MemoryHandleSlot* slots = table.data();
    MemoryRing ring(arena.data(), arena.size(), nullptr, 0);
    ring.m_slots = slots;
    ring.m_slot_count = static_cast<uint32_t>(table.size());
    ring.m_state = state;
    TRY(ring.verify());
    return ring;
}

ErrorOr<uint32_t> MemoryRing::slot_of(MemoryHandle handle) const
{
    auto const index = static_cast<uint32_t>(handle.value());
    auto const generation = static_cast<uint32_t>(handle.value() >> 32);
    if (index >= m_slot_count || m_slots[index].state == MemoryHandleSlot::State::Free
        || m_slots[index].generation != generation)
        return Error(ErrorCode::BadHandle, "memory ring: no live allocation has that handle");
    return index;
}

MemoryHeader MemoryRing::header_at(uint64_t offset) const
{
    // Only called on offsets the ring itself recorded, so a bad header is our bug.
    auto decoded = decode_memory_header(m_arena + offset, m_state.capacity - offset);
    VERIFY(!decoded.is_error());
    return decoded.value();
}

void MemoryRing::rewrite_epoch(uint64_t offset)
{
    MemoryHeader header = header_at(offset);
    if (header.epoch == m_state.epoch)
        return;
    header.epoch = m_state.epoch;
    encode_memory_header(header, m_arena + offset);
}

bool MemoryRing::is_live_at(const MemoryHeader& header, uint64_t offset) const
{
    if (header.handle_index >= m_slot_count)
        return false;
    auto const& slot = m_slots[header.handle_index];
    return slot.state != MemoryHandleSlot::State::Free && slot.generation == header.generation && slot.offset == offset;
}

uint64_t MemoryRing::island_bytes() const
{
    uint64_t total = 0;
    for (uint64_t i = 0; i < m_state.island_count; ++i)
        total += m_state.islands[i].footprint;
    return total;
}

void MemoryRing::remove_island(uint64_t offset)
{
    for (uint64_t i = 0; i < m_state.island_count; ++i) {
        if (m_state.islands[i].offset == offset) {
            m_state.islands[i] = m_state.islands[--m_state.island_count];
            return;
        }
    }
    VERIFY_NOT_REACHED();
}

void MemoryRing::cancel_pending()
{
    // The copy at the head stays behind as a dead record (its slot points elsewhere); the
    // cleaner reclaims it on its next lap.
    m_state.pending = false;
}

ErrorOr<MemoryHandle> MemoryRing::allocate(uint64_t size, AllocationOptions options)
{
    if (size == 0 || size > max_allocation())
        return Error(ErrorCode::InvalidArgument, "memory ring: allocation size must be 1 to capacity / 16 bytes");
    if (m_state.free_slot == kMemoryNoHandle)
        return Error(ErrorCode::NoMemory, "memory ring: the handle table is full");
    uint8_t const flags = options.alignment == MemoryAlignment::Page ? kMemoryFlagPageAligned : 0;
    uint64_t const footprint = kMemoryHeaderSize + memory_payload_footprint(size, flags);
    // Left free so that the cleaner can always carry the tail's allocation to the head: the
    // largest footprint ever allocated, twice (once more for the pad to the arena's end it may
    // need), plus a page for alignment.
    uint64_t const largest = footprint > m_state.largest_footprint ? footprint : m_state.largest_footprint;
    uint64_t const keep_free = 2 * largest + kMemoryPageSize;

    // Clean until the allocation fits with the reserve left over; a full lap of the tail
    // without getting there means the live data and the islands leave no room.
    uint64_t const start_tail = m_state.tail;
    while (place(footprint, options.alignment, keep_free, Commit::No).is_error()) {
        if (m_state.tail - start_tail > m_state.capacity)
            return Error(ErrorCode::NoSpace, "memory ring: live data leaves no room after a full lap of cleaning");
        if (TRY(clean_step()) == CleanStep::Idle)
            return Error(ErrorCode::NoSpace, "memory ring: pinned islands leave no room");
    }
    Placement const placement = TRY(place(footprint, options.alignment, keep_free, Commit::Yes));

    uint32_t const index = m_state.free_slot;
    auto& slot = m_slots[index];
    m_state.free_slot = slot.next_free;
    slot.state = MemoryHandleSlot::State::Live;
    slot.offset = placement.offset;
    slot.pins = 0;
    slot.next_free = kMemoryNoHandle;

    MemoryHeader header;
    header.kind = MemoryRecordKind::Allocation;
    header.flags = flags;
    header.type_tag = options.type_tag;
    header.size = static_cast<uint32_t>(size);
    header.handle_index = index;
    header.generation = slot.generation;
    header.owner = options.owner;
    header.epoch = m_state.epoch;
    encode_memory_header(header, m_arena + placement.offset);
    // Zeroed, alignment bytes included, so a checkpoint of the ring is a function of what was
    // written into it and never of what the RAM held before.
    fill_bytes(m_arena + placement.offset + kMemoryHeaderSize, 0, footprint - kMemoryHeaderSize);

    m_state.largest_footprint = largest;
    ++m_state.live_allocations;
    m_state.live_bytes += size;
    m_state.live_footprint += footprint;
    return MemoryHandle((static_cast<uint64_t>(slot.generation) << 32) | index);
}

ErrorOr<void> MemoryRing::free(MemoryHandle handle)
{
    uint32_t const index = TRY(slot_of(handle));
    auto& slot = m_slots[index];
    if (slot.pins > 0)
        return Error(ErrorCode::Busy, "memory ring: the allocation is pinned");
    if (m_state.pending && m_state.pending_slot == index)
        cancel_pending();
    if (slot.state == MemoryHandleSlot::State::Island)
        remove_island(slot.offset);
    MemoryHeader const header = header_at(slot.offset);
    --m_state.live_allocations;
    m_state.live_bytes -= header.size;
    m_state.live_footprint -= memory_record_footprint(header);
    slot.state = MemoryHandleSlot::State::Free;
    // Generation 0 is never issued, so a zeroed handle can never name a slot.
    slot.generation = slot.generation + 1 == 0 ? 1 : slot.generation + 1;
    slot.next_free = m_state.free_slot;
    m_state.free_slot = index;
    return {};
}

ErrorOr<ReadonlyBytes> MemoryRing::read(MemoryHandle handle) const
{
    uint32_t const index = TRY(slot_of(handle));
    uint64_t const offset = m_slots[index].offset;
    return ReadonlyBytes(m_arena + offset + kMemoryHeaderSize, header_at(offset).size);
}

ErrorOr<Bytes> MemoryRing::write(MemoryHandle handle)
{
    uint32_t const index = TRY(slot_of(handle));
    // A write between a relocation's copy and its switch would be lost with the old copy: the
    // relocation is abandoned instead, and the cleaner copies the new contents next time.
    if (m_state.pending && m_state.pending_slot == index)
        cancel_pending();
    uint64_t const offset = m_slots[index].offset;
    rewrite_epoch(offset);
    return Bytes(m_arena + offset + kMemoryHeaderSize, header_at(offset).size);
}

ErrorOr<MemoryAllocationInfo> MemoryRing::info(MemoryHandle handle) const
{
    uint32_t const index = TRY(slot_of(handle));
    MemoryHeader const header = header_at(m_slots[index].offset);
    return MemoryAllocationInfo { header.size, header.type_tag, header.owner, header.epoch, m_slots[index].pins,
        (header.flags & kMemoryFlagPageAligned) != 0 };
}

ErrorOr<void> MemoryRing::pin(MemoryHandle handle)
{
    uint32_t const index = TRY(slot_of(handle));
    auto& slot = m_slots[index];
    if (slot.pins == 0xffff)
        return Error(ErrorCode::Busy, "memory ring: the allocation has the most pins it can hold");
    // Once pinned, the address handed out must stay the one the handle names.
    if (m_state.pending && m_state.pending_slot == index)
        cancel_pending();
    ++slot.pins;
    return {};
}

ErrorOr<void> MemoryRing::unpin(MemoryHandle handle)
{
    uint32_t const index = TRY(slot_of(handle));
    auto& slot = m_slots[index];
    if (slot.pins == 0)
        return Error(ErrorCode::InvalidArgument, "memory ring: the allocation is not pinned");
    --slot.pins;
    return {};
}

uint64_t MemoryRing::advance_epoch()
{
    ++m_state.epoch;
    m_state.epoch_start = m_state.head;
    return m_state.epoch;
}

MemoryRingStats MemoryRing::stats() const
{
    MemoryRingStats stats;
    stats.capacity = m_state.capacity;
    stats.live_allocations = m_state.live_allocations;
    stats.live_bytes = m_state.live_bytes;
    stats.live_footprint = m_state.live_footprint;
    stats.log_bytes = m_state.head - m_state.tail;
    stats.island_bytes = island_bytes();
    stats.free_bytes = m_state.capacity - stats.log_bytes - stats.island_bytes;
    stats.bytes_relocated = m_state.bytes_relocated;
    stats.relocations = m_state.relocations;
    return stats;
}

} // namespace ferros::ring
