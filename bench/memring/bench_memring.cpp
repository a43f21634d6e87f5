// The memory ring against conventional allocators on one churn workload (docs/memory-ring.md):
//   BM_Churn/ring_util:N  the memory ring with an arena sized so the live set fills N% of it
//   BM_Churn/malloc       the host's malloc (glibc), memory held from mallinfo2
//   BM_Churn/buddy        a binary buddy allocator (bench/memring/buddy.h)
// Every case runs the same deterministic operations: sizes from 17 bytes to 1 MiB (80% small,
// 17% medium, 3% large, log-uniform within each class), a steady live set of kLiveTarget
// bytes, frees in random order, every allocation filled once. Counters, sampled at steady
// state:
//   ops_per_s      allocations + frees per second (fills included)
//   utilisation    live bytes / bytes the allocator holds
//   overhead       (bytes of the blocks in use - live bytes) / held: headers and rounding
//   fragmentation  (held - bytes of the blocks in use) / held: holes, dead and free space held
//   copy_per_byte  (ring) bytes the cleaner copied per byte allocated
//   log_fill       (ring) bytes from tail to head / capacity: how full the log runs
#include "buddy.h"
#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ferros/base/rng.h>
#include <ferros/ring/memory_ring.h>
#include <malloc.h>
#include <memory>
#include <vector>

using namespace ferros;
using namespace ferros::ring;

namespace {

constexpr uint64_t kMiB = 1024 * 1024;
// 85% of a 64 MiB ring.
constexpr uint64_t kLiveTarget = 64 * kMiB * 85 / 100;
constexpr uint64_t kWarmupOps = 60000;
constexpr uint64_t kTimedOps = 120000;
constexpr uint64_t kSampleEvery = 256;
constexpr uint64_t kSeed = 15;

[[noreturn]] void die(const char* what, const char* detail)
{
    std::fprintf(stderr, "bench_memring: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    std::exit(1);
}

// A log-uniform size in [low, high].
uint64_t log_uniform(Rng& rng, uint64_t low, uint64_t high)
{
    // Pick a power-of-two band uniformly, then a size uniformly within it (clamped).
    unsigned const low_bit = 63 - static_cast<unsigned>(__builtin_clzll(low));
    unsigned const high_bit = 63 - static_cast<unsigned>(__builtin_clzll(high));
    unsigned const bit = static_cast<unsigned>(rng.between(low_bit, high_bit));
    uint64_t const size = rng.between(uint64_t(1) << bit, (uint64_t(2) << bit) - 1);
    return size < low ? low : (size > high ? high : size);
}

uint64_t churn_size(Rng& rng)
{
    uint64_t const kind = rng.below(100);
    if (kind < 80)
        return log_uniform(rng, 17, 512);
    if (kind < 97)
        return log_uniform(rng, 513, 64 * 1024);
    return log_uniform(rng, 64 * 1024 + 1, kMiB);
}

struct Usage {
    uint64_t held { 0 };
    uint64_t block_bytes { 0 };
};

class RingAllocator {
public:
    explicit RingAllocator(uint64_t capacity)
        : m_arena(static_cast<uint8_t*>(std::aligned_alloc(kMemoryPageSize, capacity)))
        , m_table(1 << 16)
    {
        auto ring = MemoryRing::create(
            Bytes(m_arena.get(), capacity), Span<MemoryHandleSlot>(m_table.data(), m_table.size()));
        if (ring.is_error())
            die("cannot create the memory ring", ring.error().context());
        m_ring = std::make_unique<MemoryRing>(ring.release_value());
    }
    uint64_t allocate(uint64_t size)
    {
        auto handle = m_ring->allocate(size);
        if (handle.is_error())
            die("the memory ring refused an allocation", handle.error().context());
        return handle.value().value();
    }
    uint8_t* data(uint64_t id) { return m_ring->write(MemoryHandle(id)).value().data(); }
    void free(uint64_t id)
    {
        if (m_ring->free(MemoryHandle(id)).is_error())
            die("the memory ring refused a free", nullptr);
    }
    Usage usage() const { return Usage { m_ring->capacity(), m_ring->stats().live_footprint }; }
    MemoryRing& ring() { return *m_ring; }

private:
    struct FreeDeleter {
        void operator()(uint8_t* p) const { std::free(p); }
    };
    std::unique_ptr<uint8_t, FreeDeleter> m_arena;
    std::vector<MemoryHandleSlot> m_table;
    std::unique_ptr<MemoryRing> m_ring;
};

class MallocAllocator {
public:
    uint64_t allocate(uint64_t size)
    {
        void* p = std::malloc(size);
        if (!p)
            die("malloc failed", nullptr);
        return reinterpret_cast<uint64_t>(p);
    }
    uint8_t* data(uint64_t id) { return reinterpret_cast<uint8_t*>(id); }
    void free(uint64_t id) { std::free(reinterpret_cast<void*>(id)); }
    // arena: the main heap's bytes (free chunks and the top included); hblkhd: mmapped chunks.
    // uordblks: the heap's chunks in use, their headers and rounding included.
    Usage usage() const
    {
        struct mallinfo2 const info = mallinfo2();
        return Usage { info.arena + info.hblkhd, info.uordblks + info.hblkhd };
    }
};

class BuddyAllocatorAdapter {
public:
    uint64_t allocate(uint64_t size)
    {
        uint64_t const offset = m_buddy.allocate(size);
        if (offset == UINT64_MAX)
            die("the buddy allocator ran out of blocks", nullptr);
        return offset;
    }
    uint8_t* data(uint64_t id) { return m_buddy.at(id); }
    void free(uint64_t id) { m_buddy.free(id); }
    Usage usage() const { return Usage { m_buddy.held(), m_buddy.block_bytes() }; }

private:
    // 128 MiB: room for the live set rounded up to powers of two, and its holes.
    bench::BuddyAllocator m_buddy { 27 };
};

struct Live {
    uint64_t id;
    uint64_t size;
};

// The churn: allocate while the live set is below the target, otherwise free a random live
// allocation. The operations depend only on the seed, never on the allocator.
template<typename Allocator>
class Churn {
public:
    explicit Churn(Allocator& allocator)
        : m_allocator(allocator)
        , m_rng(kSeed)
    {
    }
    void step()
    {
        if (m_live_bytes < kLiveTarget) {
            uint64_t const size = churn_size(m_rng);
            uint64_t const id = m_allocator.allocate(size);
            std::memset(m_allocator.data(id), static_cast<int>(m_ops & 0xff), size);
            m_live.push_back(Live { id, size });
            m_live_bytes += size;
            m_allocated_bytes += size;
        } else {
            uint64_t const index = m_rng.below(m_live.size());
            m_allocator.free(m_live[index].id);
            m_live_bytes -= m_live[index].size;
            m_live[index] = m_live.back();
            m_live.pop_back();
        }
        ++m_ops;
    }
    uint64_t live_bytes() const { return m_live_bytes; }
    uint64_t live_count() const { return m_live.size(); }
    uint64_t allocated_bytes() const { return m_allocated_bytes; }

private:
    Allocator& m_allocator;
    Rng m_rng;
    std::vector<Live> m_live;
    uint64_t m_live_bytes { 0 };
    uint64_t m_allocated_bytes { 0 };
    uint64_t m_ops { 0 };
};

template<typename Allocator>
void run_churn(benchmark::State& state, Allocator& allocator)
{
    Churn<Allocator> churn(allocator);
    while (churn.live_bytes() < kLiveTarget)
        churn.step();
    for (uint64_t i = 0; i < kWarmupOps; ++i)
        churn.step();

    double utilisation = 0;
    double overhead = 0;
    double fragmentation = 0;
    double log_fill = 0;
    uint64_t samples = 0;
    uint64_t const allocated_before = churn.allocated_bytes();
    uint64_t copied_before = 0;
    if constexpr (requires { allocator.ring(); })
        copied_before = allocator.ring().stats().bytes_relocated;
    for (auto _ : state) {
        for (uint64_t i = 0; i < kTimedOps; ++i) {
            churn.step();
            if (i % kSampleEvery == 0) {
                state.PauseTiming();
                Usage const usage = allocator.usage();
                if constexpr (requires { allocator.ring(); })
                    log_fill
                        += static_cast<double>(allocator.ring().stats().log_bytes) / static_cast<double>(usage.held);
                double const held = static_cast<double>(usage.held);
                utilisation += static_cast<double>(churn.live_bytes()) / held;
                overhead += static_cast<double>(usage.block_bytes - churn.live_bytes()) / held;
                fragmentation += static_cast<double>(usage.held - usage.block_bytes) / held;
                ++samples;
                state.ResumeTiming();
            }
        }
    }
    state.counters["ops_per_s"]
        = benchmark::Counter(static_cast<double>(kTimedOps * state.iterations()), benchmark::Counter::kIsRate);
    state.counters["utilisation"] = utilisation / static_cast<double>(samples);
    state.counters["overhead"] = overhead / static_cast<double>(samples);
    state.counters["fragmentation"] = fragmentation / static_cast<double>(samples);
    if constexpr (requires { allocator.ring(); }) {
        state.counters["log_fill"] = log_fill / static_cast<double>(samples);
        state.counters["copy_per_byte"] = static_cast<double>(allocator.ring().stats().bytes_relocated - copied_before)
            / static_cast<double>(churn.allocated_bytes() - allocated_before);
    }
    state.counters["live_MiB"] = static_cast<double>(churn.live_bytes()) / kMiB;
    state.counters["live_count"] = static_cast<double>(churn.live_count());
    state.counters["alloc_MiB"] = static_cast<double>(churn.allocated_bytes() - allocated_before) / kMiB;
}

void BM_ChurnRing(benchmark::State& state)
{
    uint64_t const percent = static_cast<uint64_t>(state.range(0));
    uint64_t const capacity = (kLiveTarget * 100 / percent + kMemoryPageSize - 1) / kMemoryPageSize * kMemoryPageSize;
    RingAllocator allocator(capacity);
    run_churn(state, allocator);
    auto verified = allocator.ring().verify();
    if (verified.is_error())
        die("the memory ring fails verification after the churn", verified.error().context());
    state.counters["capacity_MiB"] = static_cast<double>(capacity) / kMiB;
}

void BM_ChurnMalloc(benchmark::State& state)
{
    MallocAllocator allocator;
    run_churn(state, allocator);
}

void BM_ChurnBuddy(benchmark::State& state)
{
    BuddyAllocatorAdapter allocator;
    run_churn(state, allocator);
}

} // namespace

BENCHMARK(BM_ChurnRing)->ArgName("ring_util")->Arg(75)->Arg(85)->Arg(90)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ChurnMalloc)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ChurnBuddy)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
