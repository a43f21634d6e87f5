// Reboot checks: wall time per crash state in a reboot worker (one long-lived QEMU) against a
// fresh QEMU process per state, side by side in one run, on the crash states of a real
// traced run. Median and p99 come from every state's own time; the ratio of the medians is
// the figure to quote (these machines are noisy: compare within one run only).
// BM_RebootCheckInWorker/live ends each check past ready, once the store ran R14's
// continuation (ferros.until=live, what the campaign's reboots do unless --no-live); /ready
// and the fresh QEMU end at ready, so /ready against the fresh QEMU is the worker's gain and
// /live against /ready the continuation's cost.
#include <algorithm>
#include <atomic>
#include <benchmark/benchmark.h>
#include <chrono>
#include <ferros/campaign/phases.h>
#include <ferros/campaign/plan.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/reboot_worker.h>
#include <filesystem>

using namespace ferros;

namespace {

// 1000 states spread over the default workload's traced run (the first of each boundary
// class's states at evenly spaced boundaries), made once per process.
struct States {
    qemu::ScratchDir scratch { qemu::ScratchDir::create().release_value() };
    std::optional<campaign::Plan> plan;
    std::vector<std::vector<uint8_t>> images;

    States()
    {
        campaign::CampaignOptions options;
        options.out = scratch.file("campaign");
        auto made = campaign::make_plan(options);
        if (made.is_error())
            return;
        plan = made.release_value();
        campaign::QuietReporter quiet;
        auto trace = campaign::trace_phase(*plan, quiet);
        if (trace.is_error())
            return;
        auto r = campaign::open_reconstructor(trace.value(), plan->initial_image).release_value();
        uint64_t const end = r.end_boundary().value();
        constexpr size_t kStates = 1000;
        for (size_t i = 0; i < kStates; ++i) {
            if (r.advance_to(Boundary(end * i / kStates)).is_error())
                return;
            auto space = r.states(plan->policy, plan->seed).release_value();
            images.push_back(space.image(i % space.count()).release_value());
        }
    }
};

States& states()
{
    static States s;
    return s;
}

void report(benchmark::State& state, std::vector<double> seconds)
{
    std::sort(seconds.begin(), seconds.end());
    state.counters["states"] = static_cast<double>(seconds.size());
    state.counters["median_ms"] = 1000 * seconds[seconds.size() / 2];
    state.counters["p99_ms"] = 1000 * seconds[std::min(seconds.size() - 1, seconds.size() * 99 / 100)];
}

void BM_RebootCheckInWorker(benchmark::State& state, campaign::RebootEnd end)
{
    auto& s = states();
    if (s.images.empty()) {
        state.SkipWithError("could not trace the default campaign's run");
        return;
    }
    qemu::WorkerOptions options;
    options.machine = campaign::reboot_machine(*s.plan, s.plan->path("initial.img"), s.scratch, end).release_value();
    auto worker = qemu::RebootWorker::start(options);
    if (worker.is_error()) {
        state.SkipWithError(worker.error().message().c_str());
        return;
    }
    std::vector<double> seconds;
    for (auto _ : state) {
        for (auto const& image : s.images) {
            auto start = std::chrono::steady_clock::now();
            auto result = worker.value()->check(image);
            seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            if (result.is_error()) {
                state.SkipWithError(result.error().message().c_str());
                return;
            }
        }
    }
    report(state, seconds);
}

void BM_RebootCheckFreshQemu(benchmark::State& state)
{
    auto& s = states();
    if (s.images.empty()) {
        state.SkipWithError("could not trace the default campaign's run");
        return;
    }
    // Every tenth state: a fresh process per state costs ~100x more, and the median of 100
    // is as telling as that of 1000.
    std::vector<double> seconds;
    for (auto _ : state) {
        for (size_t i = 0; i < s.images.size(); i += 10) {
            auto path = s.scratch.file("state.img");
            if (qemu::write_file_atomically(path, s.images[i]).is_error()) {
                state.SkipWithError("cannot write a state");
                return;
            }
            auto start = std::chrono::steady_clock::now();
            auto m = campaign::reboot_machine(*s.plan, path, s.scratch, campaign::RebootEnd::Ready).release_value();
            qemu::BootOptions quiet;
            quiet.echo_console = false;
            auto result = qemu::boot(m, quiet);
            seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            if (!result.process.started) {
                state.SkipWithError("QEMU did not start");
                return;
            }
        }
    }
    report(state, seconds);
}

} // namespace

BENCHMARK_CAPTURE(BM_RebootCheckInWorker, ready, campaign::RebootEnd::Ready)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_RebootCheckInWorker, live, campaign::RebootEnd::Live)
    ->Unit(benchmark::kSecond)
    ->UseRealTime()
    ->Iterations(1);
BENCHMARK(BM_RebootCheckFreshQemu)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);
BENCHMARK_MAIN();
