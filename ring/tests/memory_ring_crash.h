#pragma once
// The step-by-step cleaner run of the crash tests (memory_ring_crash_test.cpp runs a few seeds
// in the default run, memory_ring_crash_slow_test.cpp many more under the label `slow`).
#include "memory_ring_fixture.h"
#include <string>

namespace ferros::ring::testing {

constexpr uint64_t kCrashKiB = 1024;

// What a checkpoint would take of the ring at one moment: its arena, its handle table and its
// state, copied; restore() must accept the copy and every allocation must read back from it.
class Capture {
public:
    explicit Capture(uint64_t capacity)
        : m_arena(static_cast<uint8_t*>(std::aligned_alloc(kMemoryPageSize, capacity)))
        , m_capacity(capacity)
    {
    }
    ::testing::AssertionResult restores(const RingFixture& fixture)
    {
        __builtin_memcpy(m_arena.get(), fixture.ring.arena(), m_capacity);
        m_table = fixture.table;
        auto restored = MemoryRing::restore(Bytes(m_arena.get(), m_capacity),
            Span<MemoryHandleSlot>(m_table.data(), m_table.size()), fixture.ring.state());
        if (restored.is_error())
            return ::testing::AssertionFailure() << "restore: " << restored.error().context();
        return fixture.contents_match(restored.value());
    }

private:
    std::unique_ptr<uint8_t, FreeDeleter> m_arena;
    uint64_t m_capacity;
    std::vector<MemoryHandleSlot> m_table;
};

struct StepCounts {
    uint64_t steps { 0 };
    uint64_t by_kind[5] {};
};

// Fills the ring to ~60% (footprints) with a churned mix, starts a new epoch, then runs the cleaner step by
// step for `laps` laps of the tail, doing one random program operation between steps now and
// then. After every step: verify(), the contents of every live allocation, and the same of a
// ring restored from a capture taken then. Returns the first failure as an assertion result.
inline ::testing::AssertionResult clean_step_by_step(
    RingFixture& fixture, uint64_t seed, uint64_t laps, StepCounts& counts)
{
    auto& ring = fixture.ring;
    Rng rng(seed);
    uint64_t const target = ring.capacity() * 6 / 10;
    for (uint64_t i = 0; ring.stats().live_footprint < target; ++i) {
        auto handle = fixture.allocate(RingFixture::skewed_size(rng, 12 * kCrashKiB), i,
            AllocationOptions { static_cast<uint16_t>(i % 5), static_cast<uint32_t>(i % 3),
                rng.chance(1, 20) ? MemoryAlignment::Page : MemoryAlignment::Packed });
        if (handle.is_error())
            return ::testing::AssertionFailure() << "fill: " << handle.error().context();
        if (rng.chance(1, 3))
            fixture.release(fixture.any_live(rng));
    }
    ring.advance_epoch();
    std::vector<MemoryHandle> pinned;
    Capture capture(ring.capacity());
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
        auto captured = capture.restores(fixture);
        if (!captured)
            return captured << " (a capture after step " << counts.steps << ")";
        if (step.value() == CleanStep::Idle)
            return ::testing::AssertionFailure() << "the log ran empty";

        // Now and then the program does something between two steps of the cleaner.
        switch (rng.below(16)) {
        case 0: { // allocate (the ring may run the cleaner itself)
            if (ring.stats().live_footprint > target)
                break;
            auto handle = fixture.allocate(RingFixture::skewed_size(rng, 8 * kCrashKiB), next_seed++);
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

// One seed: a 256 KiB ring cleaned step by step for `laps` laps; every kind of step must occur.
inline void check_seed(uint64_t seed, uint64_t laps)
{
    RingFixture fixture(256 * kCrashKiB, 1024);
    StepCounts counts;
    ASSERT_TRUE(clean_step_by_step(fixture, seed, laps, counts)) << "seed " << seed;
    EXPECT_GT(counts.steps, 100 * laps) << "seed " << seed;
    EXPECT_GT(counts.by_kind[static_cast<int>(CleanStep::Reclaimed)], 0u) << "seed " << seed;
    EXPECT_GT(counts.by_kind[static_cast<int>(CleanStep::Copied)], 0u) << "seed " << seed;
    EXPECT_GT(counts.by_kind[static_cast<int>(CleanStep::Switched)], 0u) << "seed " << seed;
    EXPECT_GT(counts.by_kind[static_cast<int>(CleanStep::PassedPinned)], 0u) << "seed " << seed;
    ::testing::Test::RecordProperty("steps_seed_" + std::to_string(seed), static_cast<int>(counts.steps));
}

} // namespace ferros::ring::testing
