// Benchmarks of the ring store on the host emulated SSD (no write cache bookkeeping):
//   BM_Commit              commit throughput by value size and sync rate (ops/s, MiB/s)
//   BM_WriteAmplification  device bytes / user bytes in steady state while the ring turns
//   BM_Mount               mount cost for 1, 8 and 64 MiB stores; mount_ratio = 64 MiB / 1 MiB
//   BM_CrashStates         crash states checked per second by the explorer (one core), with
//                          and without R14's continuation (live_ratio: the cost of R14)
#include <benchmark/benchmark.h>
#include <chrono>
#include <ferros/base/rng.h>
#include <ferros/check/explorer.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace ferros;
using namespace ferros::storage;

namespace {

constexpr uint64_t kMiB = 1024 * 1024;

struct Bench {
    explicit Bench(uint64_t device_size)
        : ssd(device_size, HostSsd::Tracking::Off)
        , memory(Store::kMemorySize + 8)
    {
        if (Store::format(ssd).is_error())
            std::abort();
        store = std::make_unique<Store>(ssd, Bytes(memory.data(), Store::kMemorySize));
        if (store->mount().is_error())
            std::abort();
    }
    void remount()
    {
        store = std::make_unique<Store>(ssd, Bytes(memory.data(), Store::kMemorySize));
        if (store->mount().is_error())
            std::abort();
    }
    HostSsd ssd;
    std::vector<uint8_t> memory;
    std::unique_ptr<Store> store;
};

std::string key_name(uint64_t index)
{
    char buffer[24];
    int const n = std::snprintf(buffer, sizeof buffer, "key%012llu", static_cast<unsigned long long>(index));
    return std::string(buffer, static_cast<size_t>(n));
}

ReadonlyBytes bytes(const std::string& text)
{
    return ReadonlyBytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}

void put(Store& store, uint64_t key, const std::vector<uint8_t>& value)
{
    auto const name = key_name(key);
    if (store.begin().is_error() || store.put(bytes(name), ReadonlyBytes(value.data(), value.size())).is_error())
        std::abort();
    auto committed = store.commit();
    if (committed.is_error()) {
        std::fprintf(stderr, "bench_storage: commit failed: %s (%s), live charge %llu of %llu\n",
            error_name(committed.error().code()), committed.error().context() ? committed.error().context() : "",
            static_cast<unsigned long long>(store.live_charge()), static_cast<unsigned long long>(store.capacity()));
        std::abort();
    }
}

// Keys that fill `fraction` of the ring with live payload (key + value).
uint64_t keys_for(uint64_t device_size, uint64_t value_size, double fraction)
{
    double const ring = static_cast<double>(device_size - ring::kRingStart);
    return static_cast<uint64_t>(ring * fraction / static_cast<double>(value_size + key_name(0).size()));
}

void BM_Commit(benchmark::State& state)
{
    uint64_t const value_size = static_cast<uint64_t>(state.range(0));
    uint64_t const sync_every = static_cast<uint64_t>(state.range(1));
    Bench bench(64 * kMiB);
    uint64_t const keys = keys_for(64 * kMiB, value_size, 0.25);
    std::vector<uint8_t> value(value_size, 0x5a);
    Rng rng(1);
    uint64_t commits = 0;
    for (auto _ : state) {
        put(*bench.store, rng.below(keys), value);
        if (++commits % sync_every == 0 && bench.store->sync().is_error())
            std::abort();
    }
    double const user = static_cast<double>(bench.store->write_stats().user_bytes);
    state.counters["ops_per_s"] = benchmark::Counter(static_cast<double>(commits), benchmark::Counter::kIsRate);
    state.counters["MiB_per_s"] = benchmark::Counter(user / kMiB, benchmark::Counter::kIsRate);
    state.counters["write_amplification"]
        = static_cast<double>(bench.store->write_stats().total()) / (user > 0 ? user : 1);
}
BENCHMARK(BM_Commit)
    ->ArgNames({ "value", "sync_every" })
    ->ArgsProduct({ { 64, 1024, 4096, 65536 }, { 1, 16, 256 } })
    ->Unit(benchmark::kMicrosecond);

// Fill the ring to the given share of live payload, then overwrite uniformly random keys for
// several ring lengths; count the device bytes written per user byte in that phase.
void BM_WriteAmplification(benchmark::State& state)
{
    uint64_t const value_size = static_cast<uint64_t>(state.range(0));
    double const fraction = static_cast<double>(state.range(1)) / 100.0;
    uint64_t const device = 8 * kMiB;
    double amplification = 0;
    double relocated = 0;
    for (auto _ : state) {
        Bench bench(device);
        uint64_t const keys = keys_for(device, value_size, fraction);
        std::vector<uint8_t> value(value_size, 0x33);
        for (uint64_t key = 0; key < keys; ++key)
            put(*bench.store, key, value);
        auto const before = bench.store->write_stats();
        Rng rng(2);
        uint64_t const rounds = 3 * (device - ring::kRingStart) / (value_size + 16);
        for (uint64_t i = 0; i < rounds; ++i) {
            value[0] = static_cast<uint8_t>(i);
            put(*bench.store, rng.below(keys), value);
        }
        auto const after = bench.store->write_stats();
        double const user = static_cast<double>(after.user_bytes - before.user_bytes);
        amplification = static_cast<double>(after.total() - before.total()) / user;
        relocated = static_cast<double>(after.relocation_bytes - before.relocation_bytes) / user;
        state.counters["index_share"] = static_cast<double>(after.node_bytes - before.node_bytes) / user;
        state.counters["ring_turns"]
            = static_cast<double>(bench.store->shape().head.value()) / static_cast<double>(device - ring::kRingStart);
    }
    state.counters["write_amplification"] = amplification;
    state.counters["relocation_share"] = relocated;
}
BENCHMARK(BM_WriteAmplification)
    ->ArgNames({ "value", "live_percent" })
    ->Args({ 1024, 50 })
    ->Args({ 4096, 50 })
    ->Args({ 4096, 25 })
    ->Args({ 256, 30 })
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// Stores of 1, 8 and 64 MiB, filled to 30% with 1 KiB values and then given the same log
// after their last checkpoint: mount must cost the same whatever the size.
std::map<int64_t, double> g_mount_seconds;

void BM_Mount(benchmark::State& state)
{
    uint64_t const device = static_cast<uint64_t>(state.range(0)) * kMiB;
    Bench bench(device);
    uint64_t const keys = keys_for(device, 1024, 0.30);
    std::vector<uint8_t> value(1024, 0x77);
    for (uint64_t key = 0; key < keys; ++key)
        put(*bench.store, key, value);
    // Reach a checkpoint, then write the same amount of log (64 KiB of commits) on every size.
    uint64_t const checkpoints = bench.store->write_stats().checkpoints;
    Rng rng(3);
    while (bench.store->write_stats().checkpoints == checkpoints)
        put(*bench.store, rng.below(keys), value);
    for (int i = 0; i < 60; ++i)
        put(*bench.store, rng.below(keys), value);
    if (bench.store->sync().is_error())
        std::abort();

    uint64_t log_bytes = 0;
    uint64_t device_reads = 0;
    for (auto _ : state) {
        bench.ssd.reset_counters();
        Store store(bench.ssd, Bytes(bench.memory.data(), Store::kMemorySize));
        if (store.mount().is_error())
            std::abort();
        log_bytes = store.mount_stats().log_bytes;
        device_reads = bench.ssd.bytes_read();
    }
    state.counters["log_bytes"] = static_cast<double>(log_bytes);
    state.counters["bytes_read"] = static_cast<double>(device_reads);
    state.counters["live_MiB"] = static_cast<double>(keys) * 1040.0 / kMiB;
    // Seconds per mount, from the benchmark's own timing of this run.
    auto const start = std::chrono::steady_clock::now();
    int const repeats = 200;
    for (int i = 0; i < repeats; ++i) {
        Store store(bench.ssd, Bytes(bench.memory.data(), Store::kMemorySize));
        if (store.mount().is_error())
            std::abort();
    }
    double const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
    g_mount_seconds[state.range(0)] = seconds;
    state.counters["mount_us"] = seconds * 1e6;
    if (g_mount_seconds.count(1) && state.range(0) != 1)
        state.counters["mount_ratio_vs_1MiB"] = seconds / g_mount_seconds[1];
}
BENCHMARK(BM_Mount)->ArgName("MiB")->Arg(1)->Arg(8)->Arg(64)->Unit(benchmark::kMicrosecond);

// Crash states checked per second: exhaustive exploration of a small workload; `live` runs
// R14's continuation (a lap of the ring) on every distinct state, shared where it can be.
void BM_CrashStates(benchmark::State& state, const char* policy, bool live)
{
    check::RandomWorkloadOptions workload_options;
    workload_options.seed = 9;
    workload_options.steps = 40;
    workload_options.key_space = 10;
    workload_options.max_value = 60;
    auto const workload = check::random_workload(workload_options);
    check::ExploreOptions options;
    options.policy = crash::Policy::parse(policy).value();
    options.store.log_budget = 1024;
    options.live = live;
    uint64_t states = 0;
    uint64_t distinct = 0;
    for (auto _ : state) {
        auto const report = check::explore(workload, options);
        if (!report.violations.empty())
            std::abort();
        states += report.states;
        distinct += report.distinct_states;
    }
    state.counters["states_per_s"] = benchmark::Counter(static_cast<double>(states), benchmark::Counter::kIsRate);
    state.counters["checked_per_s"] = benchmark::Counter(static_cast<double>(distinct), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_CrashStates, cache_64, "cache:64:8", false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CrashStates, cache_64_live, "cache:64:8", true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CrashStates, torn_512, "torn:512:8", false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CrashStates, torn_512_live, "torn:512:8", true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CrashStates, prefix, "prefix", false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CrashStates, prefix_live, "prefix", true)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
