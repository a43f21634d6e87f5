// Campaign throughput: host-native crash states checked per second on one core, and wall
// time per reboot check under TCG. (For scale: Vinter, a QEMU-based crash tester, spends
// about 1 s per crash image.)
#include <atomic>
#include <benchmark/benchmark.h>
#include <ferros/campaign/walker.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/machine_setup.h>
#include <ferros/qemu/paths.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <ferros/trace/trace_reader.h>
#include <ferros/workload/builder.h>
#include <filesystem>

using namespace ferros;
using namespace ferros::qemu;

namespace {

constexpr uint64_t kSsdBytes = 64 * 1024;

// One traced run of a small workload from a formatted store, made once per process.
struct TracedRun {
    ScratchDir scratch { ScratchDir::create().release_value() };
    std::vector<uint8_t> workload;
    std::vector<uint8_t> initial;
    std::string trace;
    bool ok { false };

    TracedRun()
    {
        workload = workload::generate(1, 40, *workload::find_profile("mixed"));
        bool const written = !write_file_atomically(scratch.file("w.bin"), workload).is_error();
        storage::HostSsd ssd(kSsdBytes, storage::HostSsd::Tracking::Off);
        initial.resize(kSsdBytes);
        ok = written && !storage::Store::format(ssd).is_error()
            && !ssd.read(DeviceOffset(0), Bytes(initial.data(), initial.size())).is_error();
        ok = !write_file_atomically(scratch.file("initial.img"), initial).is_error() && ok;
        MachineOptions options;
        options.ssd = scratch.file("initial.img");
        options.workload = scratch.file("w.bin");
        auto machine = make_machine(options, scratch).release_value();
        machine.kernel_args.push_back("ferros.until=poweroff");
        auto plugin = plugin_config().release_value();
        trace = scratch.file("run.ftr");
        plugin.trace = trace;
        plugin.policy = "cache:512:4";
        plugin.image_out = scratch.file("after.img");
        machine.plugin = plugin;
        BootOptions quiet;
        quiet.echo_console = false;
        ok = ok && boot(machine, quiet).outcome == BootOutcome::Poweroff;
    }
};

TracedRun& traced()
{
    static TracedRun run;
    return run;
}

void BM_HostStatesPerSecondPerCore(benchmark::State& state)
{
    auto& run = traced();
    if (!run.ok) {
        state.SkipWithError("could not trace the run");
        return;
    }
    auto parsed = abi::Workload::parse(ReadonlyBytes(run.workload.data(), run.workload.size()));
    uint64_t checked = 0;
    int iteration = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto db_path = run.scratch.file("bench-" + std::to_string(iteration++) + ".db");
        auto db = campaign::ResultsDb::open(db_path).release_value();
        auto r = reconstruct::Reconstructor::create(trace::TraceReader::open(run.trace).release_value(), run.initial)
                     .release_value();
        campaign::MarkerOracle oracle(parsed.value());
        campaign::WalkConfig config;
        config.policy = crash::Policy::parse("cache:512:4").release_value();
        config.jobs = 1;
        std::atomic<bool> stop { false };
        state.ResumeTiming();
        auto progress = campaign::walk(r, &oracle, db, config, {}, stop);
        if (progress.is_error()) {
            state.SkipWithError("walk failed");
            return;
        }
        checked += progress.value().checked;
    }
    state.counters["states_per_second_per_core"]
        = benchmark::Counter(static_cast<double>(checked), benchmark::Counter::kIsRate);
    state.counters["states_per_walk"] = static_cast<double>(checked) / static_cast<double>(state.iterations());
}

void BM_RebootCheck(benchmark::State& state)
{
    auto& run = traced();
    if (!run.ok) {
        state.SkipWithError("could not trace the run");
        return;
    }
    // The run's final image: a populated store for the kernel to mount and self-check.
    MachineOptions options;
    options.ssd = run.scratch.file("after.img");
    auto machine = make_machine(options, run.scratch).release_value();
    machine.kernel_args.push_back("ferros.until=ready");
    auto plugin = plugin_config().release_value();
    plugin.events = run.scratch.file("reboot-events.txt");
    plugin.image_out = run.scratch.file("reboot-after.img");
    machine.plugin = plugin;
    BootOptions quiet;
    quiet.echo_console = false;
    for (auto _ : state) {
        auto result = boot(machine, quiet);
        if (result.outcome != BootOutcome::Ready) {
            state.SkipWithError("reboot did not reach ready");
            return;
        }
    }
    // The Time column is the wall time of one reboot check: QEMU start, firmware, mount and
    // self-check of a populated store, ready.
}

} // namespace

BENCHMARK(BM_HostStatesPerSecondPerCore)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(2);
BENCHMARK(BM_RebootCheck)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
