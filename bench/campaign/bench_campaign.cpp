// Campaign throughput: host-native crash states checked per second on one core, on stores of
// 64 KiB to 64 MiB (issue 16: the cost of a state must follow what the cut changed, not the
// device); the peak resident memory of the default campaign on a 64 MiB store, measured with
// /usr/bin/time around the real command; and the wall time per reboot check under TCG.
// (For scale: Vinter, a QEMU-based crash tester, spends about 1 s per crash image.)
#include <atomic>
#include <benchmark/benchmark.h>
#include <ferros/campaign/walker.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/machine_setup.h>
#include <ferros/qemu/paths.h>
#include <ferros/qemu/process.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <ferros/trace/trace_reader.h>
#include <ferros/workload/builder.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <time.h>

using namespace ferros;
using namespace ferros::qemu;

namespace {

// One traced run of the default campaign's workload (300 ops of profile txn, seed 1) from a
// formatted store of `ssd_bytes`, made once per size and process.
struct TracedRun {
    ScratchDir scratch { ScratchDir::create().release_value() };
    std::vector<uint8_t> workload;
    std::vector<uint8_t> initial;
    std::string trace;
    bool ok { false };

    explicit TracedRun(uint64_t ssd_bytes)
    {
        workload = workload::generate(1, 300, *workload::find_profile("txn"));
        bool const written = !write_file_atomically(scratch.file("w.bin"), workload).is_error();
        storage::HostSsd ssd(ssd_bytes, storage::HostSsd::Tracking::Off);
        initial.resize(ssd_bytes);
        ok = written && !storage::Store::format(ssd).is_error()
            && !ssd.read(DeviceOffset(0), Bytes(initial.data(), initial.size())).is_error();
        ok = !write_file_atomically(scratch.file("initial.img"), initial).is_error() && ok;
        MachineOptions options;
        options.ssd = scratch.file("initial.img");
        options.workload = scratch.file("w.bin");
        auto made = make_machine(options, scratch);
        if (made.is_error()) {
            ok = false;
            return;
        }
        auto machine = made.release_value();
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

double thread_cpu_seconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

TracedRun& traced(uint64_t ssd_bytes)
{
    static std::map<uint64_t, std::unique_ptr<TracedRun>> runs;
    auto& run = runs[ssd_bytes];
    if (!run)
        run = std::make_unique<TracedRun>(ssd_bytes);
    return *run;
}

// Arguments: the store's size in bytes, and whether R14's continuation runs (1, the default
// checker) or not (0). One iteration is one walk of every boundary of the traced run, checking
// every distinct state on one thread.
void BM_HostStatesPerSecondPerCore(benchmark::State& state)
{
    auto const ssd_bytes = static_cast<uint64_t>(state.range(0));
    auto& run = traced(ssd_bytes);
    if (!run.ok) {
        state.SkipWithError("could not trace the run");
        return;
    }
    auto parsed = abi::Workload::parse(ReadonlyBytes(run.workload.data(), run.workload.size()));
    uint64_t checked = 0;
    double cpu_seconds = 0;
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
        config.check.live = state.range(1) != 0;
        std::atomic<bool> stop { false };
        double const cpu_before = thread_cpu_seconds();
        state.ResumeTiming();
        auto progress = campaign::walk(r, &oracle, db, config, {}, stop);
        cpu_seconds += thread_cpu_seconds() - cpu_before;
        if (progress.is_error()) {
            state.SkipWithError("walk failed");
            return;
        }
        checked += progress.value().checked;
        state.PauseTiming();
        std::filesystem::remove(db_path);
        state.ResumeTiming();
    }
    state.counters["states_per_second_per_core"]
        = benchmark::Counter(static_cast<double>(checked), benchmark::Counter::kIsRate);
    // The same per second of this thread's CPU time (with one job every check runs on it):
    // what a core gives when the machine is shared, as these are.
    state.counters["states_per_cpu_second"] = static_cast<double>(checked) / cpu_seconds;
    state.counters["states_per_walk"] = static_cast<double>(checked) / static_cast<double>(state.iterations());
    state.counters["ssd_MiB"] = static_cast<double>(ssd_bytes) / (1 << 20);
}

// The default campaign (`ferros campaign --ssd-size 67108864`: trace, walk on every core,
// reboots of a sample) run as the real command under /usr/bin/time -f %M: its peak resident
// memory in MB (issue 16: under 2 GB) and its wall time.
void BM_DefaultCampaignPeakMemory64MiB(benchmark::State& state)
{
    auto const ferros = paths().build_dir + "/tools/ferros";
    if (!file_exists(ferros) || !file_exists("/usr/bin/time")) {
        state.SkipWithError("needs the built ferros command and /usr/bin/time");
        return;
    }
    auto scratch = ScratchDir::create().release_value();
    double peak_kb = 0;
    for (auto _ : state) {
        auto const out = scratch.file("campaign-" + std::to_string(state.iterations()));
        auto const rss = scratch.file("rss.txt");
        auto result = run_process({ "/usr/bin/time", "-f", "%M", "-o", rss, ferros, "campaign", "--ssd-size",
                                      std::to_string(64ull << 20), "--out", out },
            ProcessOptions {});
        if (!result.exited || result.exit_status != 0) {
            state.SkipWithError(("the campaign failed: " + result.stderr_text).c_str());
            return;
        }
        std::ifstream in(rss);
        double kb = 0;
        in >> kb;
        peak_kb = std::max(peak_kb, kb);
        std::filesystem::remove_all(out);
    }
    state.counters["peak_rss_MB"] = peak_kb * 1024 / 1e6;
}

void BM_RebootCheck(benchmark::State& state)
{
    auto& run = traced(64 * 1024);
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

BENCHMARK(BM_HostStatesPerSecondPerCore)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2)
    ->ArgNames({ "bytes", "live" })
    ->Args({ 64 << 10, 0 })
    ->Args({ 64 << 10, 1 })
    ->Args({ 1 << 20, 0 })
    ->Args({ 1 << 20, 1 })
    ->Args({ 16 << 20, 0 })
    ->Args({ 64 << 20, 0 });
BENCHMARK(BM_DefaultCampaignPeakMemory64MiB)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);
BENCHMARK(BM_RebootCheck)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
