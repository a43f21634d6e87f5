// `ferros run`: boot Ferros on the simulated phone and report the boot-stage timeline.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <ferros/tools/boot.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <ferros/tools/machine_options.h>
#include <ferros/tools/paths.h>
#include <ferros/tools/plugin_run.h>
#include <filesystem>
#include <fmt/format.h>
#include <memory>

namespace ferros::tools {

namespace {

    struct RunOptions {
        MachineOptions machine;
        std::string until { "ready" };
        std::optional<uint64_t> max_insns;
        std::string policy { "cache:4096" };
        std::string fault;
        bool quiet { false };
    };

    int run(const RunOptions& options)
    {
        ScratchDir scratch;
        auto m = make_machine(options.machine, scratch);
        m.kernel_args.push_back("ferros.until=" + options.until);
        if (!options.fault.empty())
            m.kernel_args.push_back("ferros.fault=" + options.fault);

        bool const persistent = !options.machine.ssd.empty();
        auto events_path = scratch.file("events.txt");
        auto image_out = persistent ? options.machine.ssd + ".ferros-new" : scratch.file("ssd.out");
        if (file_exists(paths().plugin)) {
            machine::PluginConfig plugin;
            plugin.path = paths().plugin;
            plugin.events = events_path;
            plugin.image_out = image_out;
            plugin.max_insns = options.max_insns;
            plugin.policy = checked_policy(options.policy);
            m.plugin = plugin;
        } else if (options.max_insns) {
            fail(Exit::Environment,
                fmt::format("--max-insns needs the plugin, which this build lacks ({})", paths().plugin));
        }

        BootOptions boot_options;
        boot_options.echo_console = !options.quiet;
        boot_options.timeout_seconds = options.machine.timeout;
        auto result = boot(m, boot_options);
        if (m.plugin && file_exists(events_path)) {
            if (auto problem = attach_plugin_events(events_path, result.timeline))
                fail(Exit::Failed, *problem);
        }
        // The device model wrote what survives this power-off (or cut): it becomes the image,
        // as a phone's flash keeps what reached it.
        if (persistent && file_exists(image_out))
            std::filesystem::rename(image_out, options.machine.ssd);

        std::printf("\nferros: boot timeline (virtual time: 1 instruction = 1 ns under -icount shift=0)\n%s",
            result.timeline.render().c_str());
        std::printf("ferros: run ended: %s\n", boot_outcome_name(result.outcome));
        std::fflush(stdout);

        if (result.outcome == BootOutcome::MaxInsns || result.outcome == BootOutcome::Cut)
            fail(Exit::NotReached, fmt::format("the instruction limit ended the run before '{}'", options.until));
        fail_unless_clean(result, options.machine.timeout);
        if (!result.timeline.reached(options.until))
            fail(Exit::NotReached, fmt::format("the run ended without reaching '{}'", options.until));
        return static_cast<int>(Exit::Ok);
    }

} // namespace

void register_run(CLI::App& app)
{
    auto options = std::make_shared<RunOptions>();
    auto* cmd = app.add_subcommand("run", "Boot Ferros on the simulated phone and print the boot timeline");
    add_machine_options(*cmd, options->machine, SsdRequired::No);
    cmd->add_option("--until", options->until, "Stop at this point: ready, or poweroff after the workload")
        ->check(CLI::IsMember({ "ready", "poweroff" }));
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
