// Boot cost of Ferros on the simulated phone: guest instructions and virtual time from
// kernel-entry to ready (deterministic), and wall time per boot (this machine's).
#include <benchmark/benchmark.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/machine_setup.h>
#include <ferros/qemu/paths.h>
#include <filesystem>
#include <fstream>

using namespace ferros;
using namespace ferros::qemu;

namespace {

// Boots to ready on an SSD of `ssd_bytes`: blank (the kernel formats it) or already formatted.
void boot_to_ready(benchmark::State& state, bool formatted)
{
    ScratchDir scratch { ScratchDir::create().release_value() };
    auto image = scratch.file("ssd.img");
    uint64_t const ssd_bytes = static_cast<uint64_t>(state.range(0));
    {
        std::ofstream out(image, std::ios::binary);
        out.write(std::string(ssd_bytes, '\0').data(), static_cast<std::streamsize>(ssd_bytes));
    }
    MachineOptions options;
    options.ssd = image;
    auto machine = make_machine(options, scratch).release_value();
    machine.kernel_args.push_back("ferros.until=ready");
    auto plugin = plugin_config().release_value();
    plugin.events = scratch.file("events.txt");
    // A formatted SSD stays formatted: the device model writes the durable image back.
    plugin.image_out = formatted ? image : scratch.file("after.img");
    plugin.policy = "strict";
    machine.plugin = plugin;
    BootOptions quiet;
    quiet.echo_console = false;
    if (formatted && boot(machine, quiet).outcome != BootOutcome::Ready) { // the first boot formats
        state.SkipWithError("the formatting boot did not reach ready");
        return;
    }

    uint64_t instructions = 0, virtual_ns = 0, from_power_on = 0;
    for (auto _ : state) {
        auto result = boot(machine, quiet);
        if (result.outcome != BootOutcome::Ready) {
            state.SkipWithError("the boot did not reach ready");
            return;
        }
        if (attach_plugin_events(*plugin.events, result.timeline).is_error()) {
            state.SkipWithError("cannot read the plugin's events");
            return;
        }
        auto const* entry = result.timeline.find("kernel-entry");
        auto const* ready = result.timeline.find("ready");
        if (!entry || !ready || !entry->boundary || !ready->boundary) {
            state.SkipWithError("no stage boundaries in the plugin's events");
            return;
        }
        instructions = *ready->boundary - *entry->boundary;
        // Boundaries count from power-on: the firmware's instructions are in this one.
        from_power_on = *ready->boundary;
        virtual_ns = ready->virtual_ns - entry->virtual_ns;
    }
    state.counters["entry_to_ready_insns"] = static_cast<double>(instructions);
    state.counters["entry_to_ready_virtual_us"] = static_cast<double>(virtual_ns) / 1000.0;
    state.counters["under_1M_insns"] = instructions < 1'000'000 ? 1 : 0;
    state.counters["power_on_to_ready_insns"] = static_cast<double>(from_power_on);
    state.counters["power_on_under_100k"] = from_power_on < 100'000 ? 1 : 0;
}

void BM_BootBlankSsd(benchmark::State& state) { boot_to_ready(state, false); }
void BM_BootFormattedSsd(benchmark::State& state) { boot_to_ready(state, true); }

} // namespace

BENCHMARK(BM_BootBlankSsd)->Arg(64 << 10)->Arg(256 << 10)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BootFormattedSsd)->Arg(64 << 10)->Arg(1 << 20)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
