#include "memory_ring_fixture.h"

using namespace ferros;
using namespace ferros::ring;
using ferros::ring::testing::RingFixture;

namespace {

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;

} // namespace

TEST(MemoryRing, CreateRejectsBadArenasAndTables)
{
    RingFixture fixture(256 * kKiB);
    uint8_t* base = fixture.arena.get();
    std::vector<MemoryHandleSlot> table(4);
    Span<MemoryHandleSlot> slots(table.data(), table.size());
    EXPECT_EQ(MemoryRing::create(Bytes(base + 16, 128 * kKiB), slots).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(MemoryRing::create(Bytes(base, 128 * kKiB + 16), slots).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(MemoryRing::create(Bytes(base, 32 * kKiB), slots).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(MemoryRing::create(Bytes(base, 128 * kKiB), Span<MemoryHandleSlot>()).error().code(),
        ErrorCode::InvalidArgument);
    EXPECT_FALSE(MemoryRing::create(Bytes(base, 128 * kKiB), slots).is_error());
}

TEST(MemoryRing, AllocatesAnySizeZeroedWithItsHeader)
{
    RingFixture fixture(16 * kMiB);
    auto& ring = fixture.ring;
    auto small = ring.allocate(17, AllocationOptions { 7, 42, MemoryAlignment::Packed }).release_value();
    auto large = ring.allocate(923 * kKiB, AllocationOptions { 9, 3, MemoryAlignment::Packed }).release_value();
    EXPECT_NE(small, large);
    auto bytes = ring.read(large).release_value();
    ASSERT_EQ(bytes.size(), 923 * kKiB);
    for (uint64_t i = 0; i < bytes.size(); i += 4093)
        EXPECT_EQ(bytes[i], 0);
    auto info = ring.info(small).release_value();
    EXPECT_EQ(info.size, 17u);
    EXPECT_EQ(info.type_tag, 7);
    EXPECT_EQ(info.owner, 42u);
    EXPECT_EQ(info.epoch, ring.epoch());
    EXPECT_EQ(info.pins, 0);
    EXPECT_FALSE(info.page_aligned);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(ring.read(small).value().data()) % kMemoryAlignment, 0u);

    auto const stats = ring.stats();
    EXPECT_EQ(stats.live_allocations, 2u);
    EXPECT_EQ(stats.live_bytes, 17 + 923 * kKiB);
    EXPECT_EQ(stats.live_footprint, 2 * kMemoryHeaderSize + 32 + 923 * kKiB);
    EXPECT_EQ(stats.log_bytes, stats.live_footprint);
    EXPECT_TRUE(fixture.verifies());
}

TEST(MemoryRing, RejectsBadSizesStaleHandlesAndAFullTable)
{
    RingFixture fixture(256 * kKiB, 2);
    auto& ring = fixture.ring;
    EXPECT_EQ(ring.allocate(0).error().code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(ring.allocate(ring.max_allocation() + 1).error().code(), ErrorCode::InvalidArgument);
    auto a = ring.allocate(100).release_value();
    auto b = ring.allocate(100).release_value();
    EXPECT_EQ(ring.allocate(100).error().code(), ErrorCode::NoMemory);
    EXPECT_FALSE(ring.free(a).is_error());
    EXPECT_EQ(ring.free(a).error().code(), ErrorCode::BadHandle);
    EXPECT_EQ(ring.read(a).error().code(), ErrorCode::BadHandle);
    EXPECT_EQ(ring.write(a).error().code(), ErrorCode::BadHandle);
    EXPECT_EQ(ring.read(MemoryHandle()).error().code(), ErrorCode::BadHandle);
    // The slot comes back with a new generation: the old handle stays dead.
    auto c = ring.allocate(100).release_value();
    EXPECT_EQ(static_cast<uint32_t>(c.value()), static_cast<uint32_t>(a.value()));
    EXPECT_NE(c, a);
    EXPECT_EQ(ring.read(a).error().code(), ErrorCode::BadHandle);
    EXPECT_FALSE(ring.read(b).is_error());
    EXPECT_TRUE(fixture.verifies());
}

TEST(MemoryRing, RefusesWhatDoesNotFitAndChangesNothing)
{
    RingFixture fixture(256 * kKiB);
    auto& ring = fixture.ring;
    std::vector<MemoryHandle> kept;
    for (;;) {
        auto handle = ring.allocate(ring.max_allocation());
        if (handle.is_error()) {
            EXPECT_EQ(handle.error().code(), ErrorCode::NoSpace);
            break;
        }
        kept.push_back(handle.value());
    }
    EXPECT_GE(kept.size(), 10u);
    auto const before = ring.stats();
    EXPECT_EQ(ring.allocate(ring.max_allocation()).error().code(), ErrorCode::NoSpace);
    EXPECT_EQ(ring.stats().live_allocations, before.live_allocations);
    EXPECT_TRUE(fixture.verifies());
    // Freeing one makes room again (the cleaner carries the rest past the hole).
    EXPECT_FALSE(ring.free(kept.front()).is_error());
    EXPECT_FALSE(ring.allocate(ring.max_allocation()).is_error());
    EXPECT_TRUE(fixture.verifies());
}

TEST(MemoryRing, ChurnKeepsEveryHandleAndItsContentsThroughManyLaps)
{
    RingFixture fixture(1 * kMiB);
    Rng rng(15);
    uint64_t const target = fixture.ring.capacity() * 80 / 100;
    for (uint64_t op = 0; op < 10000; ++op) {
        if (fixture.ring.stats().live_bytes < target || fixture.model.empty()) {
            uint64_t const size = RingFixture::skewed_size(rng, 48 * kKiB);
            auto handle = fixture.allocate(size, op);
            ASSERT_FALSE(handle.is_error()) << "op " << op << ": " << handle.error().context();
        } else {
            fixture.release(fixture.any_live(rng));
        }
        if (op % 500 == 0) {
            ASSERT_TRUE(fixture.verifies()) << "op " << op;
            ASSERT_TRUE(fixture.contents_match()) << "op " << op;
        }
    }
    ASSERT_TRUE(fixture.verifies());
    ASSERT_TRUE(fixture.contents_match());
    auto const stats = fixture.ring.stats();
    EXPECT_GT(fixture.ring.head().value(), 5 * fixture.ring.capacity()) << "the ring turned fewer than five laps";
    EXPECT_GT(stats.relocations, 100u);
    EXPECT_GE(stats.live_bytes, target * 9 / 10);
}

TEST(MemoryRing, PageAlignedAllocationsStayAlignedWhenMoved)
{
    RingFixture fixture(1 * kMiB);
    auto& ring = fixture.ring;
    ASSERT_FALSE(fixture.allocate(100, 1).is_error());
    auto page = fixture.allocate(5000, 2, AllocationOptions { 0, 0, MemoryAlignment::Page }).release_value();
    EXPECT_TRUE(ring.info(page).value().page_aligned);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(ring.read(page).value().data()) % kMemoryPageSize, 0u);
    // Churn small allocations until the page-aligned one has been carried forward.
    uint8_t const* first = ring.read(page).value().data();
    Rng rng(3);
    for (uint64_t i = 0; i < 4000 && ring.read(page).value().data() == first; ++i) {
        auto handle = fixture.allocate(rng.between(17, 2000), 100 + i).release_value();
        fixture.release(handle);
    }
    EXPECT_NE(ring.read(page).value().data(), first);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(ring.read(page).value().data()) % kMemoryPageSize, 0u);
    EXPECT_TRUE(fixture.verifies());
    EXPECT_TRUE(fixture.contents_match());
}

TEST(MemoryRing, PinnedAllocationsNeverMoveAndCannotBeFreed)
{
    RingFixture fixture(1 * kMiB);
    auto& ring = fixture.ring;
    auto pinned
        = fixture.allocate(3 * kMemoryPageSize, 9, AllocationOptions { 1, 1, MemoryAlignment::Page }).release_value();
    ASSERT_FALSE(ring.pin(pinned).is_error());
    ASSERT_FALSE(ring.pin(pinned).is_error());
    uint8_t const* address = ring.read(pinned).value().data();
    EXPECT_EQ(ring.free(pinned).error().code(), ErrorCode::Busy);
    Rng rng(4);
    uint64_t const laps_before = ring.head().value() / ring.capacity();
    for (uint64_t i = 0; i < 3000; ++i) {
        ASSERT_FALSE(fixture.allocate(RingFixture::skewed_size(rng, 16 * kKiB), 1000 + i).is_error()) << i;
        auto victim = fixture.any_live(rng);
        if (fixture.model.size() > 40 && victim != pinned)
            fixture.release(victim);
        ASSERT_EQ(ring.read(pinned).value().data(), address) << i;
    }
    EXPECT_GE(ring.head().value() / ring.capacity(), laps_before + 3)
        << "the head passed the island fewer than 3 times";
    EXPECT_TRUE(fixture.verifies());
    EXPECT_TRUE(fixture.contents_match());
    EXPECT_FALSE(ring.unpin(pinned).is_error());
    EXPECT_EQ(ring.free(pinned).error().code(), ErrorCode::Busy);
    EXPECT_FALSE(ring.unpin(pinned).is_error());
    EXPECT_EQ(ring.unpin(pinned).error().code(), ErrorCode::InvalidArgument);
    // Unpinned, it moves again like any other allocation.
    for (uint64_t i = 0; i < 3000 && ring.read(pinned).value().data() == address; ++i) {
        ASSERT_FALSE(fixture.allocate(RingFixture::skewed_size(rng, 16 * kKiB), 5000 + i).is_error());
        auto victim = fixture.any_live(rng);
        if (victim != pinned)
            fixture.release(victim);
    }
    EXPECT_NE(ring.read(pinned).value().data(), address);
    EXPECT_TRUE(fixture.verifies());
    EXPECT_TRUE(fixture.contents_match());
    fixture.release(pinned);
    EXPECT_TRUE(fixture.verifies());
}

namespace {

struct Moves {
    uint64_t count { 0 };
    MemoryHandle last;
    bool contents_equal { true };
    uint64_t size { 0 };
};

void record_move(void* context, MemoryHandle handle, uint8_t* from, uint8_t* to)
{
    auto* moves = static_cast<Moves*>(context);
    ++moves->count;
    moves->last = handle;
    if (moves->size && __builtin_memcmp(from, to, moves->size) != 0)
        moves->contents_equal = false;
}

} // namespace

TEST(MemoryRing, TellsTheObserverBeforeTheHandleMoves)
{
    RingFixture fixture(256 * kKiB);
    auto& ring = fixture.ring;
    Moves moves;
    moves.size = 4096;
    ring.set_relocation_observer(RelocationObserver { record_move, &moves });
    auto mapped = fixture.allocate(4096, 5, AllocationOptions { 0, 0, MemoryAlignment::Page }).release_value();
    auto dead = ring.allocate(8000).release_value();
    ASSERT_FALSE(ring.free(dead).is_error());
    // At the tail: the pad that aligns the mapped allocation is reclaimed, then the allocation
    // is copied, the observer told, the handle switched.
    CleanStep step = CleanStep::Idle;
    while ((step = ring.clean_step().release_value()) != CleanStep::Copied)
        ASSERT_EQ(step, CleanStep::Reclaimed);
    uint8_t const* before = ring.read(mapped).value().data();
    EXPECT_EQ(moves.count, 0u);
    EXPECT_EQ(ring.clean_step().release_value(), CleanStep::Switched);
    EXPECT_EQ(moves.count, 1u);
    EXPECT_EQ(moves.last, mapped);
    EXPECT_TRUE(moves.contents_equal);
    EXPECT_NE(ring.read(mapped).value().data(), before);
    EXPECT_TRUE(fixture.verifies());
    EXPECT_TRUE(fixture.contents_match());
}

TEST(MemoryRing, EpochsMarkWrittenAndRelocatedAllocationsDirty)
{
    RingFixture fixture(256 * kKiB);
    auto& ring = fixture.ring;
    auto a = fixture.allocate(300, 1).release_value();
    auto b = fixture.allocate(300, 2).release_value();
    uint64_t const first = ring.epoch();
    uint64_t const second = ring.advance_epoch();
    EXPECT_EQ(second, first + 1);
    EXPECT_EQ(ring.epoch_start(), MemoryPosition(ring.head().value()));
    EXPECT_EQ(ring.info(a).value().epoch, first);
    EXPECT_FALSE(ring.read(a).is_error());
    EXPECT_EQ(ring.info(a).value().epoch, first) << "reading must not make an allocation dirty";
    fixture.fill(b, 3);
    EXPECT_EQ(ring.info(b).value().epoch, second);
    // The cleaner carries `a` forward: its place changed, so it is dirty in the new epoch.
    EXPECT_EQ(ring.clean_step().release_value(), CleanStep::Copied);
    EXPECT_EQ(ring.clean_step().release_value(), CleanStep::Switched);
    EXPECT_EQ(ring.info(a).value().epoch, second);
    EXPECT_TRUE(fixture.verifies());
    EXPECT_TRUE(fixture.contents_match());
}

TEST(MemoryRing, AWriteBetweenCopyAndSwitchAbandonsTheRelocation)
{
    RingFixture fixture(256 * kKiB);
    auto& ring = fixture.ring;
    auto a = fixture.allocate(1000, 1).release_value();
    uint8_t const* before = ring.read(a).value().data();
    EXPECT_EQ(ring.clean_step().release_value(), CleanStep::Copied);
    fixture.fill(a, 2); // the old copy changes; the new one is stale now
    EXPECT_TRUE(fixture.verifies());
    // No switch: the tail's allocation is still `a`, copied afresh.
    EXPECT_EQ(ring.clean_step().release_value(), CleanStep::Copied);
    EXPECT_EQ(ring.clean_step().release_value(), CleanStep::Switched);
    EXPECT_NE(ring.read(a).value().data(), before);
    EXPECT_TRUE(fixture.verifies());
    EXPECT_TRUE(fixture.contents_match());
}

TEST(MemoryRing, ForEachLiveVisitsEveryAllocationOnce)
{
    RingFixture fixture(1 * kMiB);
    Rng rng(8);
    for (uint64_t i = 0; i < 400; ++i) {
        ASSERT_FALSE(fixture.allocate(RingFixture::skewed_size(rng, 8 * kKiB), i).is_error());
        if (rng.chance(1, 2))
            fixture.release(fixture.any_live(rng));
    }
    auto pinned = fixture.any_live(rng);
    ASSERT_FALSE(fixture.ring.pin(pinned).is_error());
    ASSERT_FALSE(fixture.ring.clean(fixture.ring.capacity() / 2).is_error());
    std::map<uint64_t, uint64_t> seen;
    fixture.ring.for_each_live([&](MemoryHandle handle, const MemoryAllocationInfo& info, ReadonlyBytes bytes) {
        ++seen[handle.value()];
        EXPECT_EQ(info.size, bytes.size());
    });
    EXPECT_EQ(seen.size(), fixture.model.size());
    for (auto const& [handle, count] : seen) {
        EXPECT_EQ(count, 1u);
        EXPECT_TRUE(fixture.model.count(handle));
    }
    EXPECT_TRUE(fixture.verifies());
}

TEST(MemoryRing, TheCleanerStopsAtAPinWhenNoIslandIsLeft)
{
    RingFixture fixture(256 * kKiB);
    auto& ring = fixture.ring;
    std::vector<MemoryHandle> handles;
    for (uint64_t i = 0; i < MemoryRing::kMaxIslands + 1; ++i) {
        handles.push_back(fixture.allocate(100, i).release_value());
        ASSERT_FALSE(ring.pin(handles.back()).is_error());
    }
    for (uint64_t i = 0; i < MemoryRing::kMaxIslands; ++i)
        ASSERT_EQ(ring.clean_step().release_value(), CleanStep::PassedPinned) << i;
    auto blocked = ring.clean_step();
    ASSERT_TRUE(blocked.is_error());
    EXPECT_EQ(blocked.error().code(), ErrorCode::Busy);
    EXPECT_EQ(ring.stats().island_bytes, MemoryRing::kMaxIslands * (kMemoryHeaderSize + 112));
    EXPECT_TRUE(fixture.verifies());
    // An island that is unpinned and freed gives its room back at once.
    ASSERT_FALSE(ring.unpin(handles.front()).is_error());
    fixture.release(handles.front());
    EXPECT_EQ(ring.stats().island_bytes, (MemoryRing::kMaxIslands - 1) * (kMemoryHeaderSize + 112));
    EXPECT_EQ(ring.clean_step().release_value(), CleanStep::PassedPinned);
    EXPECT_TRUE(fixture.verifies());
    EXPECT_TRUE(fixture.contents_match());
}
