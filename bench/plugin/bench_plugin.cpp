// The plugin's overhead (issue 4): wall time of one run under plain TCG with icount, and
// under the plugin counting only, with a cut armed (beyond the run's end, so it never
// fires), with the SSD device model, and with full tracing (device model + events + trace).
// Every iteration runs all five configurations back to back, so a burst of load on the
// machine hits them alike; ratios use each configuration's fastest run, the estimate least
// disturbed by other work. Counters:
//   plain_ms           fastest plain run
//   count_x, cut_x, model_x, trace_x   fastest run of each / fastest plain run (wall time)
//   *_cpu_x            the same for QEMU's CPU time (user + system, all threads): steadier
//                      than wall time on a shared machine, but it charges the trace worker
//                      thread's work in full even when another core does it for free
//   stores             window stores of the run (from the trace's footer)
//   trace_bytes_per_Mstore            trace file size per million window stores
//
// Workloads: the kernel with the default workload (`ferros workload gen`: seed 1, 200 ops,
// mixed) until power-off; the same with 20000 ops (~0.9 G instructions), where QEMU's
// start-up (and the plugin's: reading files, asking QEMU its version) weighs nothing; and
// the test guest's store-heavy loop (a window store every ~5 instructions), a worst case.

#include "run_qemu.h"
#include <algorithm>
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdio>
#include <ferros/abi/machine.h>
#include <ferros/base/bytes.h>
#include <ferros/machine/machine.h>
#include <ferros/trace/trace_reader.h>
#include <ferros/workload/builder.h>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

using namespace ferros;

namespace {

enum Config { Plain, Count, Cut, Model, Trace, kConfigs };

std::string temp(const std::string& name) { return std::string(FERROS_BENCH_TMP) + "/" + name; }

void write_file(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

machine::Machine configure(machine::Machine m, Config config)
{
    if (config == Plain)
        return m;
    machine::PluginConfig p;
    p.path = FERROS_PLUGIN_PATH;
    if (config >= Cut)
        p.cut_at = std::numeric_limits<uint64_t>::max() - 1;
    if (config >= Model) {
        p.policy = "cache:512:8";
        p.image_out = temp("bench.out");
    }
    if (config == Trace) {
        p.events = temp("bench.events");
        p.trace = temp("bench.trace");
        p.cut_at.reset();
    }
    m.plugin = p;
    // Counting only: the machine description always passes the window to the plugin when
    // there is an image; without image_out, trace, events or a marker cut the plugin
    // watches no stores, so this run measures the counting alone.
    return m;
}

void run_configs(benchmark::State& state, const machine::Machine& base)
{
    double best[kConfigs], best_cpu[kConfigs];
    std::fill(best, best + kConfigs, std::numeric_limits<double>::max());
    std::fill(best_cpu, best_cpu + kConfigs, std::numeric_limits<double>::max());
    for (auto _ : state) {
        for (int c = 0; c < kConfigs; ++c) {
            auto argv = machine::qemu_argv(configure(base, static_cast<Config>(c)));
            auto start = std::chrono::steady_clock::now();
            auto run = bench::run_qemu(argv);
            double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (run.status == ferros::abi::kPluginExitBadArgs || run.status < 0) {
                state.SkipWithError("QEMU or the plugin refused the run");
                return;
            }
            best[c] = std::min(best[c], seconds);
            best_cpu[c] = std::min(best_cpu[c], run.cpu_seconds);
        }
    }
    state.counters["plain_ms"] = best[Plain] * 1000;
    state.counters["count_x"] = best[Count] / best[Plain];
    state.counters["cut_x"] = best[Cut] / best[Plain];
    state.counters["model_x"] = best[Model] / best[Plain];
    state.counters["trace_x"] = best[Trace] / best[Plain];
    state.counters["count_cpu_x"] = best_cpu[Count] / best_cpu[Plain];
    state.counters["cut_cpu_x"] = best_cpu[Cut] / best_cpu[Plain];
    state.counters["model_cpu_x"] = best_cpu[Model] / best_cpu[Plain];
    state.counters["trace_cpu_x"] = best_cpu[Trace] / best_cpu[Plain];
    auto reader = trace::TraceReader::open(temp("bench.trace"));
    if (reader.is_error()) {
        state.SkipWithError("the trace cannot be read");
        return;
    }
    uint64_t stores = reader.value().footer().stores;
    std::ifstream trace_file(temp("bench.trace"), std::ios::binary | std::ios::ate);
    auto bytes = static_cast<double>(trace_file.tellg());
    state.counters["stores"] = static_cast<double>(stores);
    state.counters["trace_bytes_per_Mstore"] = stores ? bytes / (static_cast<double>(stores) / 1e6) : 0;
}

#ifdef FERROS_KERNEL_PATH
machine::Machine kernel_machine(uint32_t ops)
{
    auto const* profile = workload::find_profile("mixed");
    std::string workload = temp("bench-workload-" + std::to_string(ops) + ".bin");
    write_file(workload, workload::generate(1, ops, *profile));
    std::string image = temp("bench-ssd.img");
    write_file(image, std::vector<uint8_t>(1 << 20, 0));
    machine::Machine m;
    m.kernel = FERROS_KERNEL_PATH;
    m.workload = workload;
    m.ssd_image = image;
    m.ssd.size = 1 << 20;
    m.kernel_args.push_back("ferros.until=poweroff");
    return m;
}

void BM_KernelDefaultWorkload(benchmark::State& state) { run_configs(state, kernel_machine(200)); }
void BM_KernelWorkload20000(benchmark::State& state) { run_configs(state, kernel_machine(20000)); }
BENCHMARK(BM_KernelDefaultWorkload)->Iterations(5)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_KernelWorkload20000)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();
#endif

void BM_TestGuestStoreHeavy(benchmark::State& state)
{
    // test_guest.s reads its parameters from the image: rounds, flush interval, window size.
    std::vector<uint8_t> image(0x10000, 0xa5);
    store_le32(image.data() + 0, 300'000);
    store_le32(image.data() + 4, 8);
    store_le32(image.data() + 8, 0x10000);
    std::string path = temp("bench-guest.img");
    write_file(path, image);
    machine::Machine m;
    m.kernel = FERROS_TEST_GUEST;
    m.ssd_image = path;
    m.ssd.size = image.size();
    run_configs(state, m);
}
BENCHMARK(BM_TestGuestStoreHeavy)->Iterations(3)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace

BENCHMARK_MAIN();
