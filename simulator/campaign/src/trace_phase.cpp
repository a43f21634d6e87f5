#include <ferros/campaign/phases.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/paths.h>
#include <ferros/trace/file_hash.h>
#include <ferros/trace/trace_reader.h>
#include <filesystem>
#include <fmt/format.h>

namespace ferros::campaign {

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

Result<std::string> trace_phase(const Plan& plan, Reporter& reporter)
{
    auto trace_path = plan.path("trace.ftr");
    auto const& initial = plan.initial_image;
    if (std::filesystem::exists(trace_path)) {
        auto reader = trace::TraceReader::open(trace_path);
        if (!reader.is_error() && !reader.value().expect(expectations(plan, initial)).is_error())
            return trace_path;
        reporter.note(fmt::format("the trace in {} does not match this campaign; tracing again", plan.out_dir));
    }
    auto scratch = TRY(qemu::ScratchDir::create());
    qemu::MachineOptions machine_options;
    machine_options.kernel = plan.kernel;
    machine_options.ssd = plan.path("initial.img");
    machine_options.workload = plan.path("workload.bin");
    machine_options.append = plan.kernel_args();
    machine_options.timeout = plan.options.timeout;
    auto m = TRY(qemu::make_machine(machine_options, scratch));
    m.kernel_args.push_back("ferros.until=poweroff");
    auto plugin = TRY(qemu::plugin_config());
    auto partial = trace_path + ".partial";
    plugin.trace = partial;
    plugin.policy = plan.policy.to_string();
    plugin.image_out = scratch.file("after.img");
    m.plugin = plugin;
    reporter.note(fmt::format("tracing the run ({})", machine::describe(m)));
    qemu::BootOptions boot_options;
    boot_options.echo_console = false;
    boot_options.timeout_seconds = plan.options.timeout;
    auto result = qemu::boot(m, boot_options);
    if (result.outcome != qemu::BootOutcome::Poweroff) {
        for (auto const& line : result.console)
            reporter.note("  " + line);
    }
    TRY(qemu::expect_clean(result, plan.options.timeout));
    std::error_code ec;
    std::filesystem::rename(partial, trace_path, ec);
    if (ec)
        return Failure(ErrorCode::Io, fmt::format("cannot rename '{}': {}", partial, ec.message()));
    return trace_path;
}

} // namespace ferros::campaign
