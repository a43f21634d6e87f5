#pragma once
// The memory ring (DESIGN.md 11, docs/memory-ring.md): process and kernel-object memory
// allocated from a ring of RAM, in the manner of RAMCloud's log-structured memory. Allocations
// of any size are appended at the head; a cleaner carries live allocations forward from the
// tail and reclaims the rest. Nobody holds a pointer across a cleaner step: references are
// handles (slot index + generation) into a handle table, and the table is the one place that
// says where an allocation lives, so relocation is one store into it. Pinned allocations (DMA,
// or memory mapped into a process without a relocation observer) never move: when the tail
// reaches one it passes it and leaves it in place as an island, which the head skips and takes
// back into the log when it gets there.
//
// Freestanding: the arena and the handle table are memory the caller provides; nothing here
// allocates. Built into the kernel and into a host library (ferros_dual_library).

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>
#include <ferros/ring/memory_header.h>

namespace ferros::ring {

struct MemoryHandleTag;
// Slot index in the low 32 bits, the slot's generation in the high 32. Generations start at 1,
// so MemoryHandle() (zero) is never valid; a freed handle's generation never comes back.
using MemoryHandle = Strong<MemoryHandleTag>;
struct MemoryPositionTag;
// Logical position in the memory ring: grows forever; the byte it names is position % capacity.
using MemoryPosition = Strong<MemoryPositionTag>;

enum class MemoryAlignment : uint8_t {
    Packed, // 16-byte aligned payload
    Page, // page-aligned payload, whole pages: may be mapped into a process
};

struct AllocationOptions {
    uint16_t type_tag { 0 }; // what the payload is (kernel object kind, process memory ...)
    uint32_t owner { 0 }; // who it belongs to (a process id, 0 for the kernel)
    MemoryAlignment alignment { MemoryAlignment::Packed };
};

// One entry of the handle table. The caller provides the array (its size bounds the number of
// live allocations); its contents are the ring's and change only through MemoryRing.
struct MemoryHandleSlot {
    enum class State : uint8_t { Free, Live, Island };
    uint64_t offset { 0 }; // Live, Island: the header's byte offset in the arena
    uint32_t generation { 1 };
    uint32_t next_free { 0 }; // Free: the next free slot, or kMemoryNoHandle
    uint16_t pins { 0 };
    State state { State::Free };
};

// Test-only switches that break one guarantee each, so the crash tests can show that verify()
// catches them (storage/seeded_bugs.def does the same for the store).
enum class MemoryRingBug : uint8_t {
    None,
    FreeBeforeSwitch, // the cleaner reclaims the old copy before the handle points to the new one
    RelocationNotDirty, // the cleaner keeps a relocated allocation's old epoch
};

// What one cleaner step did.
enum class CleanStep : uint8_t {
    Idle, // the log is empty: nothing to clean
    Reclaimed, // the tail passed a dead allocation or a pad
    Copied, // the live allocation at the tail was copied to the head (its handle still points to the old copy)
    Switched, // the handle now points to the copy; the old one is dead and the next step reclaims it
    PassedPinned, // the tail passed a pinned allocation, which stays where it is as an island
};

struct MemoryAllocationInfo {
    uint32_t size { 0 };
    uint16_t type_tag { 0 };
    uint32_t owner { 0 };
    uint64_t epoch { 0 };
    uint16_t pins { 0 };
    bool page_aligned { false };
};

struct MemoryRingStats {
    uint64_t capacity { 0 }; // arena bytes
    uint64_t live_allocations { 0 };
    uint64_t live_bytes { 0 }; // payload bytes asked for by live allocations
    uint64_t live_footprint { 0 }; // the ring bytes they take: headers, payloads, alignment
    uint64_t log_bytes { 0 }; // head - tail: live, dead and pads between tail and head
    uint64_t island_bytes { 0 }; // pinned allocations the tail has passed
    uint64_t free_bytes { 0 }; // capacity - log_bytes - island_bytes
    uint64_t bytes_relocated { 0 }; // payload + header bytes the cleaner has copied, ever
    uint64_t relocations { 0 };
};

// Told between the copy and the switch of a relocation, so whoever maps or caches the payload's
// address (a page table) can point it at the copy; both copies hold the same bytes then.
struct RelocationObserver {
    void (*moved)(void* context, MemoryHandle handle, uint8_t* from, uint8_t* to) { nullptr };
    void* context { nullptr };
};

// Everything of a ring that is not in its arena or its handle table: with those two it is the
// whole ring, so a checkpoint that captures the three can bring the ring back (restore()).
struct MemoryRingState {
    struct Island {
        uint64_t offset { 0 };
        uint64_t footprint { 0 };
    };
    uint64_t capacity { 0 };
    uint64_t tail { 0 };
    uint64_t head { 0 };
    uint64_t epoch { 1 };
    uint64_t epoch_start { 0 };
    uint32_t free_slot { kMemoryNoHandle };
    uint64_t island_count { 0 };
    Island islands[32] {};
    // A relocation between its Copied and its Switched step.
    bool pending { false };
    uint32_t pending_slot { 0 };
    uint64_t pending_offset { 0 };
    uint64_t live_allocations { 0 };
    uint64_t live_bytes { 0 };
    uint64_t live_footprint { 0 };
    uint64_t largest_footprint { 0 };
    uint64_t bytes_relocated { 0 };
    uint64_t relocations { 0 };
};

class MemoryRing {
public:
    static constexpr uint64_t kMaxIslands = sizeof(MemoryRingState::islands) / sizeof(MemoryRingState::Island);
    static constexpr uint64_t kMinCapacity = 64 * 1024;

    // `arena` must start on a page boundary and be a multiple of kMemoryPageSize, at least
    // kMinCapacity; `table` needs at least one slot and fewer than 2^32 - 1. The largest
    // allocation is capacity / 16. Errors: InvalidArgument.
    static ErrorOr<MemoryRing> create(Bytes arena, Span<MemoryHandleSlot> table);
    // Move-only: two copies would both believe they own the arena.
    MemoryRing(const MemoryRing&) = delete;
    MemoryRing& operator=(const MemoryRing&) = delete;
    MemoryRing(MemoryRing&&) = default;
    MemoryRing& operator=(MemoryRing&&) = default;

    // A ring from a captured arena, handle table and state (a checkpoint's, or a copy of a live
    // ring's), checked by verify() before it is handed out. The arena and table must be the
    // sizes they were captured at. Errors: InvalidArgument (shapes), Corrupt (verify()).
    static ErrorOr<MemoryRing> restore(Bytes arena, Span<MemoryHandleSlot> table, const MemoryRingState& state);
    const MemoryRingState& state() const { return m_state; }

    // Appends an allocation of `size` bytes (1 to max_allocation()) at the head, running the
    // cleaner as far as it needs room. The payload is zeroed and dirty in the current epoch.
    // Errors: InvalidArgument (size), NoMemory (no free handle slot), NoSpace (the live data
    // and islands leave no room even after a full lap of the cleaner), Busy (the cleaner met a
    // pinned allocation and has no island left).
    ErrorOr<MemoryHandle> allocate(uint64_t size, AllocationOptions options = {});
    // Errors: BadHandle (stale or unknown), Busy (pinned: a device or a mapping still uses it).
    ErrorOr<void> free(MemoryHandle handle);

    // The payload, for reading. Valid until the next allocate(), clean_step() or free().
    ErrorOr<ReadonlyBytes> read(MemoryHandle handle) const;
    // The payload, for writing: marks the allocation dirty in the current epoch. Valid as read().
    ErrorOr<Bytes> write(MemoryHandle handle);
    ErrorOr<MemoryAllocationInfo> info(MemoryHandle handle) const;

    // A pinned allocation never moves, so its address may be given to a device or mapped;
    // pins nest. Errors: BadHandle, Busy (too many pins), InvalidArgument (unpin of unpinned).
    ErrorOr<void> pin(MemoryHandle handle);
    ErrorOr<void> unpin(MemoryHandle handle);

    // One step of the cleaner at the tail (see CleanStep). Errors: NoSpace (no room at the
    // head for the copy), Busy (a pinned allocation at the tail and no island slot left).
    ErrorOr<CleanStep> clean_step();
    // Cleans until at least `bytes` are free, or a full lap of cleaning did not get there.
    // Errors: NoSpace, Busy.
    ErrorOr<void> clean(uint64_t bytes);

    // Starts a new checkpoint epoch: what changes from now on is dirty in it. Returns the new
    // epoch. Everything between epoch_start() and the head was written in the current epoch.
    uint64_t advance_epoch();
    uint64_t epoch() const { return m_state.epoch; }
    MemoryPosition epoch_start() const { return MemoryPosition(m_state.epoch_start); }

    // Walks the ring from tail to head and checks every header, the islands, the cleaner's
    // pending copy and the handle table against one another (R13 of DESIGN.md 11): every live
    // handle points to exactly one valid header, inside the log or on an island; nothing
    // overlaps; everything written since epoch_start() is dirty in the current epoch; the
    // counters agree. Errors: Corrupt, with a context that says which check failed.
    ErrorOr<void> verify() const;

    // Calls visit(handle, info, payload) for every live allocation, tail to head, then islands.
    template<typename F>
    void for_each_live(F visit) const;

    MemoryRingStats stats() const;
    uint64_t capacity() const { return m_state.capacity; }
    uint64_t max_allocation() const { return m_state.capacity / 16; }
    MemoryPosition tail() const { return MemoryPosition(m_state.tail); }
    MemoryPosition head() const { return MemoryPosition(m_state.head); }
    const uint8_t* arena() const { return m_arena; }

    void set_relocation_observer(RelocationObserver observer) { m_observer = observer; }
    void set_seeded_bug(MemoryRingBug bug) { m_bug = bug; }

private:
    using Island = MemoryRingState::Island;
    // Where the next record of `footprint` bytes (header included) would go.
    struct Placement {
        uint64_t head_after { 0 }; // logical head once it is written
        uint64_t offset { 0 }; // its header's byte offset
    };

    MemoryRing(uint8_t* arena, uint64_t capacity, MemoryHandleSlot* slots, uint32_t slot_count);

    ErrorOr<uint32_t> slot_of(MemoryHandle handle) const;
    MemoryHeader header_at(uint64_t offset) const;
    void rewrite_epoch(uint64_t offset);
    // Plans (Commit::No) or writes the pads and takes back the islands (Commit::Yes) that put a
    // record of `footprint` bytes at the head; fails with NoSpace if it would leave fewer than
    // `keep_free` bytes free.
    enum class Commit : bool { No, Yes };
    ErrorOr<Placement> place(uint64_t footprint, MemoryAlignment alignment, uint64_t keep_free, Commit commit);
    bool is_live_at(const MemoryHeader& header, uint64_t offset) const;
    void cancel_pending();
    void remove_island(uint64_t offset);
    uint64_t island_bytes() const;
    ErrorOr<void> verify_record(uint64_t offset, const MemoryHeader& header, uint64_t position, bool in_log,
        uint64_t& live_found, uint64_t& live_bytes, uint64_t& live_footprint) const;

    uint8_t* m_arena { nullptr };
    MemoryHandleSlot* m_slots { nullptr };
    uint32_t m_slot_count { 0 };
    MemoryRingState m_state;

    RelocationObserver m_observer {};
    MemoryRingBug m_bug { MemoryRingBug::None };
};

template<typename F>
void MemoryRing::for_each_live(F visit) const
{
    auto visit_record = [&](uint64_t offset) {
        MemoryHeader const header = header_at(offset);
        if (header.kind != MemoryRecordKind::Allocation || !is_live_at(header, offset))
            return;
        MemoryAllocationInfo info { header.size, header.type_tag, header.owner, header.epoch,
            m_slots[header.handle_index].pins, (header.flags & kMemoryFlagPageAligned) != 0 };
        MemoryHandle const handle((static_cast<uint64_t>(header.generation) << 32) | header.handle_index);
        visit(handle, info, ReadonlyBytes(m_arena + offset + kMemoryHeaderSize, header.size));
    };
    for (uint64_t position = m_state.tail; position < m_state.head;) {
        uint64_t const offset = position % m_state.capacity;
        visit_record(offset);
        position += memory_record_footprint(header_at(offset));
    }
    for (uint64_t i = 0; i < m_state.island_count; ++i)
        visit_record(m_state.islands[i].offset);
}

} // namespace ferros::ring
