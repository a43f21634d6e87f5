#include "phases.h"
#include <ferros/tools/boot.h>
#include <ferros/tools/error.h>
#include <ferros/tools/machine_options.h>
#include <ferros/tools/paths.h>
#include <ferros/tools/plugin_run.h>
#include <ferros/trace/file_hash.h>
#include <ferros/trace/trace_reader.h>
#include <filesystem>
#include <fmt/format.h>

namespace ferros::tools::campaign {

namespace {

    trace::TraceExpectations expectations(const Plan& plan, const std::vector<uint8_t>& image)
    {
        trace::TraceExpectations e;
        e.kernel_hash = plan.kernel_hash;
        e.workload_hash = plan.workload_hash;
        e.image_hash = trace::hash_bytes(ReadonlyBytes(image.data(), image.size()));
        return e;
    }

} // namespace

std::string trace_phase(const Plan& plan)
{
    auto trace_path = plan.path("trace.ftr");
    auto const& initial = plan.initial_image;
    if (std::filesystem::exists(trace_path)) {
        auto reader = trace::TraceReader::open(trace_path);
        if (!reader.is_error() && !reader.value().expect(expectations(plan, initial)).is_error())
            return trace_path;
        std::fprintf(
            stderr, "ferros: the trace in %s does not match this campaign; tracing again\n", plan.out_dir.c_str());
    }
    ScratchDir scratch;
    MachineOptions machine_options;
    machine_options.kernel = plan.kernel;
    machine_options.ssd = plan.path("initial.img");
    machine_options.workload = plan.path("workload.bin");
    machine_options.append = plan.kernel_args();
    machine_options.timeout = plan.options.timeout;
    auto m = make_machine(machine_options, scratch);
    m.kernel_args.push_back("ferros.until=poweroff");
    auto plugin = plugin_config();
    auto partial = trace_path + ".partial";
    plugin.trace = partial;
    plugin.policy = plan.policy.to_string();
    plugin.image_out = scratch.file("after.img");
    m.plugin = plugin;
    std::fprintf(stderr, "ferros: tracing the run (%s)\n", machine::describe(m).c_str());
    BootOptions boot_options;
    boot_options.echo_console = false;
    boot_options.timeout_seconds = plan.options.timeout;
    auto result = boot(m, boot_options);
    if (result.outcome != BootOutcome::Poweroff) {
        std::string console;
        for (auto const& line : result.console)
            console += "  " + line + "\n";
        std::fprintf(stderr, "%s", console.c_str());
    }
    fail_unless_clean(result, plan.options.timeout);
    std::filesystem::rename(partial, trace_path);
    return trace_path;
}

} // namespace ferros::tools::campaign
