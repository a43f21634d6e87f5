// Crash tests of the memory ring. The ring is RAM, but a checkpoint may capture it between any
// two steps of the cleaner, so the structure must verify, and every live allocation must read
// back exactly, after every single step, with the program's own allocations, frees, writes and
// pins interleaved. The seeded bugs show that the check can fail.
#include "memory_ring_crash.h"

using namespace ferros;
using namespace ferros::ring;
using namespace ferros::ring::testing;

namespace {

constexpr uint64_t kKiB = 1024;

} // namespace

TEST(MemoryRingCrash, VerifiesAfterEveryCleanerStep)
{
    // Two seeds here; memory_ring_crash_slow_tests (label slow) runs 32 more, twice as long.
    for (uint64_t seed = 1; seed <= 2; ++seed)
        check_seed(seed, 4);
}

TEST(MemoryRingCrash, CatchesTheFreeBeforeSwitchBug)
{
    RingFixture fixture(256 * kKiB, 1024);
    fixture.ring.set_seeded_bug(MemoryRingBug::FreeBeforeSwitch);
    StepCounts counts;
    auto result = clean_step_by_step(fixture, 1, 1, counts);
    ASSERT_FALSE(result);
    EXPECT_NE(std::string(result.message()).find("a live handle points outside the log"), std::string::npos)
        << result.message();
}

TEST(MemoryRingCrash, CatchesTheRelocationNotDirtyBug)
{
    RingFixture fixture(256 * kKiB, 1024);
    fixture.ring.set_seeded_bug(MemoryRingBug::RelocationNotDirty);
    StepCounts counts;
    auto result = clean_step_by_step(fixture, 1, 1, counts);
    ASSERT_FALSE(result);
    EXPECT_NE(std::string(result.message()).find("not dirty"), std::string::npos) << result.message();
}

TEST(MemoryRingCrash, VerifyCatchesAFlippedHeaderBit)
{
    RingFixture fixture(256 * kKiB);
    auto handle = fixture.allocate(500, 1).release_value();
    ASSERT_TRUE(fixture.verifies());
    // The header sits just before the payload; flip a bit of its owner field.
    auto* header = const_cast<uint8_t*>(fixture.ring.read(handle).value().data()) - kMemoryHeaderSize;
    header[24] ^= 0x10;
    auto verified = fixture.ring.verify();
    ASSERT_TRUE(verified.is_error());
    EXPECT_EQ(verified.error().code(), ErrorCode::Corrupt);
    header[24] ^= 0x10;
    EXPECT_TRUE(fixture.verifies());
}

TEST(MemoryRingCrash, RestoreRefusesACaptureThatDoesNotVerify)
{
    RingFixture fixture(256 * kKiB);
    Rng rng(2);
    for (uint64_t i = 0; i < 200; ++i) {
        ASSERT_FALSE(fixture.allocate(RingFixture::skewed_size(rng, 4 * kKiB), i).is_error());
        if (rng.chance(1, 2))
            fixture.release(fixture.any_live(rng));
    }
    Capture capture(fixture.ring.capacity());
    ASSERT_TRUE(capture.restores(fixture));

    std::vector<uint8_t> arena_copy(fixture.ring.capacity() + kMemoryPageSize);
    auto* aligned = reinterpret_cast<uint8_t*>(
        (reinterpret_cast<uintptr_t>(arena_copy.data()) + kMemoryPageSize - 1) & ~(kMemoryPageSize - 1));
    __builtin_memcpy(aligned, fixture.ring.arena(), fixture.ring.capacity());
    auto table = fixture.table;
    Span<MemoryHandleSlot> slots(table.data(), table.size());
    MemoryRingState state = fixture.ring.state();
    EXPECT_EQ(MemoryRing::restore(Bytes(aligned, state.capacity - kMemoryPageSize), slots, state).error().code(),
        ErrorCode::InvalidArgument);
    // A tail one record late: the walk starts inside a record (or the counters disagree).
    state.tail += kMemoryAlignment;
    EXPECT_EQ(MemoryRing::restore(Bytes(aligned, state.capacity), slots, state).error().code(), ErrorCode::Corrupt);
    state = fixture.ring.state();
    state.live_bytes += 1;
    EXPECT_EQ(MemoryRing::restore(Bytes(aligned, state.capacity), slots, state).error().code(), ErrorCode::Corrupt);
    state = fixture.ring.state();
    table[static_cast<uint32_t>(fixture.any_live(rng).value())].generation += 1;
    EXPECT_EQ(MemoryRing::restore(Bytes(aligned, state.capacity), slots, state).error().code(), ErrorCode::Corrupt);
}
