// `ferros trace`: one traced run of Ferros; every store into the SSD window, every FLUSH and
// every marker, stamped with its boundary (docs/trace-format.md).
#include <CLI/CLI.hpp>
#include <ferros/plugin/plugin_arguments.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/paths.h>
#include <ferros/tools/command_support.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <ferros/trace/trace_reader.h>
#include <filesystem>
#include <fmt/format.h>
#include <memory>

namespace ferros::tools {

namespace {

    struct TraceOptions {
        qemu::MachineOptions machine;
        std::string out;
        std::string policy { "cache:4096" };
        std::optional<uint64_t> max_insns;
        bool quiet { true };
    };

    int trace(const TraceOptions& options)
    {
        auto scratch = must(qemu::ScratchDir::create());
        auto m = must(qemu::make_machine(options.machine, scratch));
        // Without a workload the trace covers boot to ready and power-off.
        m.kernel_args.push_back("ferros.until=poweroff");
        auto plugin = must(qemu::plugin_config());
        plugin.trace = options.out;
        plugin.policy = must(qemu::checked_policy(options.policy));
        plugin.max_insns = options.max_insns;
        plugin.events = scratch.file("events.txt");
        // The image is the trace's starting point: leave it as it was.
        plugin.image_out = scratch.file("image-after.img");
        m.plugin = plugin;

        qemu::BootOptions boot_options;
        boot_options.echo_console = !options.quiet;
        boot_options.timeout_seconds = options.machine.timeout;
        auto result = qemu::boot(m, boot_options);
        must(qemu::expect_clean(result, options.machine.timeout));

        auto reader = trace::TraceReader::open(options.out);
        if (reader.is_error())
            fail(Exit::Failed,
                fmt::format("the trace just written cannot be read: {}", ferros::describe_error(reader.error())));
        auto const& f = reader.value().footer();
        auto bytes = std::filesystem::file_size(options.out);
        std::printf("ferros: trace %s: %llu boundaries, %llu stores, %llu flushes, %llu markers, %llu chunks, %llu "
                    "bytes (%.1f bytes/store)\n",
            options.out.c_str(), static_cast<unsigned long long>(f.end_boundary),
            static_cast<unsigned long long>(f.stores), static_cast<unsigned long long>(f.flushes),
            static_cast<unsigned long long>(f.markers), static_cast<unsigned long long>(f.chunks),
            static_cast<unsigned long long>(bytes), f.stores ? static_cast<double>(bytes) / f.stores : 0.0);
        return 0;
    }

} // namespace

void register_trace(CLI::App& app)
{
    auto options = std::make_shared<TraceOptions>();
    auto* cmd = app.add_subcommand("trace", "Trace one run: every SSD store, FLUSH and marker with its boundary");
    add_machine_options(*cmd, options->machine, SsdRequired::Yes);
    cmd->add_option("-o,--out", options->out, "Trace file to write")->required();
    cmd->add_option("--policy", options->policy, "Crash policy recorded in the trace (docs/crash-model.md)");
    cmd->add_option("--max-insns", options->max_insns, "Stop the traced run after this many instructions");
    cmd->add_flag("!--console", options->quiet, "Stream the guest console");
    cmd->callback([options] { throw CLI::RuntimeError(trace(*options)); });
}

} // namespace ferros::tools
