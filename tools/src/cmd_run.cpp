// `ferros run`: boot Ferros on the simulated phone and report the boot-stage timeline.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/paths.h>
#include <ferros/tools/command_support.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <filesystem>
#include <fmt/format.h>
#include <memory>

namespace ferros::tools {

namespace {

    struct RunOptions {
        qemu::MachineOptions machine;
        std::string until { "ready" };
        std::optional<uint64_t> max_insns;
        std::string policy { "cache:4096" };
        std::string fault;
        bool quiet { false };
    };

    int run(const RunOptions& options)
    {
        auto scratch = must(qemu::ScratchDir::create());
        auto m = must(qemu::make_machine(options.machine, scratch));
        m.kernel_args.push_back("ferros.until=" + options.until);
        if (!options.fault.empty())
            m.kernel_args.push_back("ferros.fault=" + options.fault);

        bool const persistent = !options.machine.ssd.empty();
        auto events_path = scratch.file("events.txt");
        auto image_out = persistent ? options.machine.ssd + ".ferros-new" : scratch.file("ssd.out");
        if (qemu::file_exists(qemu::paths().plugin)) {
            machine::PluginConfig plugin;
            plugin.path = qemu::paths().plugin;
            plugin.events = events_path;
            plugin.image_out = image_out;
            plugin.max_insns = options.max_insns;
            plugin.policy = must(qemu::checked_policy(options.policy));
            m.plugin = plugin;
        } else if (options.max_insns) {
            fail(Exit::Environment,
                fmt::format("--max-insns needs the plugin, which this build lacks ({})", qemu::paths().plugin));
        }

        qemu::BootOptions boot_options;
        boot_options.echo_console = !options.quiet;
        boot_options.timeout_seconds = options.machine.timeout;
        auto result = qemu::boot(m, boot_options);
        if (m.plugin && qemu::file_exists(events_path)) {
            if (auto attached = qemu::attach_plugin_events(events_path, result.timeline); attached.is_error())
                fail(Exit::Failed, attached.error().message());
        }
        // The device model wrote what survives this power-off (or cut): it becomes the image,
        // as a phone's flash keeps what reached it.
        if (persistent && qemu::file_exists(image_out))
            std::filesystem::rename(image_out, options.machine.ssd);

        std::printf("\nferros: boot timeline (virtual time: 1 instruction = 1 ns under -icount shift=0)\n%s",
            result.timeline.render().c_str());
        std::printf("ferros: run ended: %s\n", qemu::boot_outcome_name(result.outcome));
        std::fflush(stdout);

        if (result.outcome == qemu::BootOutcome::MaxInsns || result.outcome == qemu::BootOutcome::Cut)
            fail(Exit::NotReached, fmt::format("the instruction limit ended the run before '{}'", options.until));
        must(qemu::expect_clean(result, options.machine.timeout));
        // live has no stage of its own: it ends at ready's exit value once the continuation passed
        // (a failed one is LiveFailed, refused above).
        std::string const stage = options.until == "live" ? "ready" : options.until;
        if (!result.timeline.reached(stage))
            fail(Exit::NotReached, fmt::format("the run ended without reaching '{}'", stage));
        return static_cast<int>(Exit::Ok);
    }

} // namespace

void register_run(CLI::App& app)
{
    auto options = std::make_shared<RunOptions>();
    auto* cmd = app.add_subcommand("run", "Boot Ferros on the simulated phone and print the boot timeline");
    add_machine_options(*cmd, options->machine, SsdRequired::No);
    cmd->add_option("--until", options->until,
           "Stop at this point: ready, poweroff after the workload, or live (past ready, the store runs the "
           "continuation after recovery, R14)")
        ->check(CLI::IsMember({ "ready", "poweroff", "live" }));
    cmd->add_option("--max-insns", options->max_insns, "Cut power after this many guest instructions");
    cmd->add_option("--policy", options->policy,
        "Crash policy of the SSD's device model (docs/crash-model.md); default cache:4096: what was "
        "not flushed is lost at power-off");
    cmd->add_option("--fault", options->fault, "Make the kernel take this CPU exception on purpose (testing)")
        ->check(CLI::IsMember({ "de", "ud", "gp", "pf", "bp", "df" }));
    cmd->add_flag("--quiet", options->quiet, "Do not stream the guest console");
    cmd->callback([options] { throw CLI::RuntimeError(run(*options)); });
}

} // namespace ferros::tools
