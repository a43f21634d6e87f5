// The store server's costs in guest instructions, exact and the same on every run (issue 14):
//   BM_RestartLatency: from an injected fault (the kernel's FaultInjected marker) to the
//     restarted server serving again (its Verdict 0, stored right before its first Receive),
//     for kill and hang, 2 000 of the server's instructions before the end of its run: inside
//     the last request, which the runner then sees fail with ServerRestarted. On an empty store
//     (a workload of one put, 64 KiB) and a filled one (the last of 200 mixed operations,
//     1 MiB: the restarted server mounts and self-checks what the 199 before left);
//   BM_StoreRequest: instructions a store operation costs from `ready` to `workload-done` of the
//     200-op mixed workload, through the server (system call, IPC to the server, the store,
//     reply). With FERROS_FORMER_KERNEL set to a kernel ELF built at d17d633^ (the last commit
//     whose store ran inside the kernel), the same workload on the same blank SSD also runs on
//     that kernel, and `ipc_over_in_kernel` is the ratio (docs/kernel.md, "Costs").
#include <benchmark/benchmark.h>
#include <cstdlib>
#include <ferros/plugin/events_file.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/machine_setup.h>
#include <ferros/qemu/paths.h>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <regex>

using namespace ferros;
using namespace ferros::qemu;

namespace {

struct Event {
    abi::MarkerKind kind;
    uint64_t payload;
    uint64_t boundary;
};

struct Run {
    BootOutcome outcome { BootOutcome::QemuFailed };
    std::vector<std::string> console;
    std::vector<Event> events;
};

std::string blank_ssd(const ScratchDir& scratch, uint64_t bytes)
{
    auto image = scratch.file(fmt::format("ssd-{}.img", bytes));
    std::ofstream out(image, std::ios::binary | std::ios::trunc);
    out.write(std::string(bytes, '\0').data(), static_cast<std::streamsize>(bytes));
    return image;
}

// The workload the `ferros` tool generates (the campaign's generator, deterministic).
std::optional<std::string> workload(const ScratchDir& scratch, uint64_t ops, const char* profile)
{
    auto file = scratch.file(fmt::format("w-{}-{}.bin", profile, ops));
    auto command = fmt::format("'{}/tools/ferros' workload gen --seed 1 --ops {} --profile {} -o '{}' >/dev/null",
        paths().build_dir, ops, profile, file);
    if (std::system(command.c_str()) != 0)
        return std::nullopt;
    return file;
}

// One boot to power-off from a copy of the blank image, with `append` on the command line.
std::optional<Run> run(const ScratchDir& scratch, const std::string& kernel, uint64_t ssd_bytes,
    const std::string& workload_file, std::vector<std::string> append)
{
    MachineOptions options;
    options.kernel = kernel;
    options.ssd = blank_ssd(scratch, ssd_bytes);
    options.workload = workload_file;
    options.append = std::move(append);
    options.timeout = 600;
    auto machine = make_machine(options, scratch);
    if (machine.is_error())
        return std::nullopt;
    machine.value().kernel_args.push_back("ferros.until=poweroff");
    auto plugin = plugin_config();
    if (plugin.is_error())
        return std::nullopt;
    plugin.value().events = scratch.file("events.txt");
    plugin.value().image_out = scratch.file("after.img");
    plugin.value().policy = "strict";
    machine.value().plugin = plugin.value();
    BootOptions quiet;
    quiet.echo_console = false;
    quiet.timeout_seconds = 600;
    auto result = boot(machine.value(), quiet);
    Run r;
    r.outcome = result.outcome;
    r.console = result.console;
    std::ifstream in(*plugin.value().events);
    std::string line;
    while (std::getline(in, line)) {
        auto event = plugin::parse_event_line(line);
        if (event.is_error())
            return std::nullopt;
        if (!event.value().is_end && !event.value().is_exit)
            r.events.push_back(Event { event.value().kind, event.value().payload, event.value().boundary.value() });
    }
    return r;
}

std::optional<uint64_t> boundary_of_stage(const Run& r, abi::BootStage stage)
{
    for (auto const& e : r.events) {
        if (e.kind == abi::MarkerKind::Stage && e.payload == static_cast<uint64_t>(stage))
            return e.boundary;
    }
    return std::nullopt;
}

// The store server's user instructions in a fault-free run: the kernel's line when the armed
// injection never fires (docs/kernel.md, "Fault injection").
std::optional<uint64_t> server_instructions(const Run& r)
{
    static const std::regex line(R"(ferros: inject: did not fire: process [0-9]+ \(store\) retired ([0-9]+) user)");
    for (auto const& text : r.console) {
        std::smatch m;
        if (std::regex_search(text, m, line))
            return std::stoull(m[1].str());
    }
    return std::nullopt;
}

// state.range(0): 0 kill, 1 hang; state.range(1): 0 empty store, 1 filled.
void BM_RestartLatency(benchmark::State& state)
{
    bool const hang = state.range(0) == 1;
    bool const filled = state.range(1) == 1;
    ScratchDir scratch { ScratchDir::create().release_value() };
    uint64_t const ssd_bytes = filled ? (1u << 20) : (64u << 10);
    auto file = filled ? workload(scratch, 200, "mixed") : workload(scratch, 1, "mixed");
    if (!file) {
        state.SkipWithError("ferros workload gen failed");
        return;
    }
    std::string const kernel = paths().kernel;
    auto clean = run(scratch, kernel, ssd_bytes, *file, { "ferros.inject=store,1099511627776,kill" });
    auto total = clean ? server_instructions(*clean) : std::nullopt;
    if (!total || *total < 10'000) {
        state.SkipWithError("the fault-free run did not report the server's instructions");
        return;
    }
    // Inside the last request: a put or get costs thousands of the server's instructions, and
    // after its Reply the server only enters Receive again.
    uint64_t const at = *total - 2'000;
    std::string const token = fmt::format("ferros.inject=store,{},{}", at, hang ? "hang" : "kill");

    uint64_t to_serving = 0;
    for (auto _ : state) {
        auto r = run(scratch, kernel, ssd_bytes, *file, { token });
        if (!r || r->outcome != BootOutcome::Poweroff) {
            state.SkipWithError("the injection run did not reach power-off");
            return;
        }
        std::optional<uint64_t> fault, serving;
        for (auto const& e : r->events) {
            if (e.kind == abi::MarkerKind::FaultInjected && !fault)
                fault = e.boundary;
            else if (fault && !serving && e.kind == abi::MarkerKind::Verdict && e.payload == 0)
                serving = e.boundary;
        }
        if (!fault || !serving) {
            state.SkipWithError("no fault, or no restarted server serving, in the markers");
            return;
        }
        to_serving = *serving - *fault;
    }
    state.counters["fault_to_serving_insns"] = static_cast<double>(to_serving);
    state.counters["inject_at"] = static_cast<double>(at);
}

// Instructions from `ready` to `workload-done` over the operation count.
std::optional<double> per_op(const Run& r, uint64_t ops)
{
    auto ready = boundary_of_stage(r, abi::BootStage::Ready);
    auto done = boundary_of_stage(r, abi::BootStage::WorkloadDone);
    if (r.outcome != BootOutcome::Poweroff || !ready || !done)
        return std::nullopt;
    return static_cast<double>(*done - *ready) / static_cast<double>(ops);
}

void BM_StoreRequest(benchmark::State& state)
{
    uint64_t const ops = static_cast<uint64_t>(state.range(0));
    ScratchDir scratch { ScratchDir::create().release_value() };
    auto file = workload(scratch, ops, "mixed");
    if (!file) {
        state.SkipWithError("ferros workload gen failed");
        return;
    }
    const char* former = std::getenv("FERROS_FORMER_KERNEL");
    double server = 0, in_kernel = 0;
    for (auto _ : state) {
        auto r = run(scratch, paths().kernel, 1u << 20, *file, {});
        auto cost = r ? per_op(*r, ops) : std::nullopt;
        if (!cost) {
            state.SkipWithError("the run did not reach workload-done");
            return;
        }
        server = *cost;
        if (former != nullptr && *former != '\0') {
            auto f = run(scratch, former, 1u << 20, *file, {});
            auto former_cost = f ? per_op(*f, ops) : std::nullopt;
            if (!former_cost) {
                state.SkipWithError("the former kernel's run did not reach workload-done");
                return;
            }
            in_kernel = *former_cost;
        }
    }
    state.counters["server_insns_per_op"] = server;
    if (in_kernel > 0) {
        state.counters["in_kernel_insns_per_op"] = in_kernel;
        state.counters["ipc_over_in_kernel"] = server / in_kernel;
    }
}

} // namespace

BENCHMARK(BM_RestartLatency)
    ->ArgNames({ "hang", "filled" })
    ->Args({ 0, 0 })
    ->Args({ 1, 0 })
    ->Args({ 0, 1 })
    ->Args({ 1, 1 })
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_StoreRequest)->Arg(200)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
