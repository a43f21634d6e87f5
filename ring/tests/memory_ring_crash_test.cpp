// Crash tests of the memory ring. The ring is RAM, but a checkpoint may capture it between any
// two steps of the cleaner, so the structure must verify, and every live allocation must read
// back exactly, after every single step, with the program's own allocations, frees, writes and
// pins interleaved. The seeded bugs show that the check can fail.
#include "memory_ring_fixture.h"

using namespace ferros;
using namespace ferros::ring;
using ferros::ring::testing::RingFixture;

namespace {

constexpr uint64_t kKiB = 1024;

struct StepCounts {
    uint64_t steps { 0 };
    uint64_t by_kind[5] {};
};

// Fills the ring to ~60% (footprints) with a churned mix, starts a new epoch, then runs the cleaner step by
// step for `laps` laps of the tail, doing one random program operation between steps now and
// then. After every step: verify() and the contents of every live allocation. Returns the
// first failure as an assertion result.
::testing::AssertionResult clean_step_by_step(RingFixture& fixture, uint64_t seed, uint64_t laps, StepCounts& counts)
{
    auto& ring = fixture.ring;
    Rng rng(seed);
    uint64_t const target = ring.capacity() * 6 / 10;
    for (uint64_t i = 0; ring.stats().live_footprint < target; ++i) {
        auto handle = fixture.allocate(RingFixture::skewed_size(rng, 12 * kKiB), i,
            AllocationOptions { static_cast<uint16_t>(i % 5), static_cast<uint32_t>(i % 3),
                rng.chance(1, 20) ? MemoryAlignment::Page : MemoryAlignment::Packed });
        if (handle.is_error())
            return ::testing::AssertionFailure() << "fill: " << handle.error().context();
        if (rng.chance(1, 3))
            fixture.release(fixture.any_live(rng));
    }
    ring.advance_epoch();
    std::vector<MemoryHandle> pinned;
    uint64_t const end = ring.tail().value() + laps * ring.capacity();
    uint64_t next_seed = 1000000;
    while (ring.tail().value() < end) {
        auto step = ring.clean_step();
        if (step.is_error())
            return ::testing::AssertionFailure() << "clean_step: " << step.error().context();
        ++counts.steps;
        ++counts.by_kind[static_cast<int>(step.value())];
        auto verified = ring.verify();
        if (verified.is_error())
            return ::testing::AssertionFailure()
                << "after step " << counts.steps << " (" << static_cast<int>(step.value())
                << "): " << verified.error().context();
        auto contents = fixture.contents_match();
        if (!contents)
            return contents << " (after step " << counts.steps << ")";
        if (step.value() == CleanStep::Idle)
            return ::testing::AssertionFailure() << "the log ran empty";

        // Now and then the program does something between two steps of the cleaner.
        switch (rng.below(16)) {
        case 0: { // allocate (the ring may run the cleaner itself)
            if (ring.stats().live_footprint > target)
                break;
            auto handle = fixture.allocate(RingFixture::skewed_size(rng, 8 * kKiB), next_seed++);
            if (handle.is_error())
                return ::testing::AssertionFailure() << "allocate: " << handle.error().context();
            break;
        }
        case 1: // free something unpinned
            if (!fixture.model.empty()) {
                auto handle = fixture.any_live(rng);
                if (ring.info(handle).value().pins == 0)
                    fixture.release(handle);
            }
            break;
        case 2: // write: possibly the allocation the cleaner has just copied
            if (!fixture.model.empty())
                fixture.fill(fixture.any_live(rng), next_seed++);
            break;
        case 3: // pin or unpin
            if (pinned.size() < 4 && !fixture.model.empty()) {
                auto handle = fixture.any_live(rng);
                if (!ring.pin(handle).is_error())
                    pinned.push_back(handle);
            } else if (!pinned.empty()) {
                if (ring.unpin(pinned.back()).is_error())
                    return ::testing::AssertionFailure() << "unpin failed";
                pinned.pop_back();
            }
            break;
        case 4:
            ring.advance_epoch();
            break;
        default:
            break;
        }
    }
    return ::testing::AssertionSuccess();
}

} // namespace

TEST(MemoryRingCrash, VerifiesAfterEveryCleanerStep)
{
    for (uint64_t seed = 1; seed <= 4; ++seed) {
        RingFixture fixture(256 * kKiB);
        StepCounts counts;
        ASSERT_TRUE(clean_step_by_step(fixture, seed, 4, counts)) << "seed " << seed;
        EXPECT_GT(counts.steps, 500u);
        // Every kind of step happened, pinned islands included.
        EXPECT_GT(counts.by_kind[static_cast<int>(CleanStep::Reclaimed)], 0u) << "seed " << seed;
        EXPECT_GT(counts.by_kind[static_cast<int>(CleanStep::Copied)], 0u) << "seed " << seed;
        EXPECT_GT(counts.by_kind[static_cast<int>(CleanStep::Switched)], 0u) << "seed " << seed;
        EXPECT_GT(counts.by_kind[static_cast<int>(CleanStep::PassedPinned)], 0u) << "seed " << seed;
    }
}

TEST(MemoryRingCrash, CatchesTheFreeBeforeSwitchBug)
{
    RingFixture fixture(256 * kKiB);
    fixture.ring.set_seeded_bug(MemoryRingBug::FreeBeforeSwitch);
    StepCounts counts;
    auto result = clean_step_by_step(fixture, 1, 1, counts);
    ASSERT_FALSE(result);
    EXPECT_NE(std::string(result.message()).find("a live handle points outside the log"), std::string::npos)
        << result.message();
}

TEST(MemoryRingCrash, CatchesTheRelocationNotDirtyBug)
{
    RingFixture fixture(256 * kKiB);
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
