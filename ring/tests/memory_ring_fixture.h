#pragma once
// A memory ring on a page-aligned host arena, with a model of what every live allocation must
// hold, for the unit and crash tests.
#include <cstdlib>
#include <ferros/base/rng.h>
#include <ferros/ring/memory_ring.h>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <vector>

namespace ferros::ring::testing {

struct FreeDeleter {
    void operator()(uint8_t* p) const { std::free(p); }
};

struct RingFixture {
    explicit RingFixture(uint64_t capacity, uint32_t slots = 4096)
        : arena(static_cast<uint8_t*>(std::aligned_alloc(kMemoryPageSize, capacity)))
        , table(slots)
        , ring(MemoryRing::create(Bytes(arena.get(), capacity), Span<MemoryHandleSlot>(table.data(), table.size()))
                   .release_value())
    {
    }

    // The byte at `index` of an allocation whose contents were written with `seed`.
    static uint8_t pattern(uint64_t seed, uint64_t index) { return static_cast<uint8_t>(seed * 131 + index * 7 + 1); }

    ErrorOr<MemoryHandle> allocate(uint64_t size, uint64_t seed, AllocationOptions options = {})
    {
        auto handle = TRY(ring.allocate(size, options));
        fill(handle, seed);
        return handle;
    }
    void fill(MemoryHandle handle, uint64_t seed)
    {
        auto bytes = ring.write(handle).release_value();
        std::vector<uint8_t> expected(bytes.size());
        for (uint64_t i = 0; i < bytes.size(); ++i)
            expected[i] = pattern(seed, i);
        __builtin_memcpy(bytes.data(), expected.data(), expected.size());
        model[handle.value()] = std::move(expected);
    }
    void release(MemoryHandle handle)
    {
        ASSERT_FALSE(ring.free(handle).is_error());
        model.erase(handle.value());
    }

    // Every allocation the model knows holds exactly its bytes, and nothing else is live.
    ::testing::AssertionResult contents_match() const { return contents_match(ring); }
    // The same of another ring, a restored copy of this one.
    ::testing::AssertionResult contents_match(const MemoryRing& ring) const
    {
        for (auto const& [value, expected] : model) {
            auto bytes = ring.read(MemoryHandle(value));
            if (bytes.is_error())
                return ::testing::AssertionFailure() << "handle " << value << " no longer reads";
            if (bytes.value().size() != expected.size())
                return ::testing::AssertionFailure() << "handle " << value << " changed size";
            if (__builtin_memcmp(bytes.value().data(), expected.data(), expected.size()) != 0)
                return ::testing::AssertionFailure() << "handle " << value << " holds other bytes";
        }
        if (ring.stats().live_allocations != model.size())
            return ::testing::AssertionFailure()
                << "the ring has " << ring.stats().live_allocations << " live allocations, the model " << model.size();
        return ::testing::AssertionSuccess();
    }

    ::testing::AssertionResult verifies() const
    {
        auto verified = ring.verify();
        if (verified.is_error())
            return ::testing::AssertionFailure() << verified.error().context();
        return ::testing::AssertionSuccess();
    }

    // A size from 17 bytes to `largest`, most of them small (log-uniform).
    static uint64_t skewed_size(Rng& rng, uint64_t largest)
    {
        uint64_t const bits = rng.between(4, 63 - static_cast<uint64_t>(__builtin_clzll(largest)));
        uint64_t const size = rng.between(uint64_t(1) << bits, (uint64_t(2) << bits) - 1);
        return size < 17 ? 17 : (size > largest ? largest : size);
    }

    MemoryHandle any_live(Rng& rng) const
    {
        auto it = model.begin();
        std::advance(it, static_cast<long>(rng.below(model.size())));
        return MemoryHandle(it->first);
    }

    std::unique_ptr<uint8_t, FreeDeleter> arena;
    std::vector<MemoryHandleSlot> table;
    MemoryRing ring;
    // handle -> the bytes it must hold
    std::map<uint64_t, std::vector<uint8_t>> model;
};

} // namespace ferros::ring::testing
