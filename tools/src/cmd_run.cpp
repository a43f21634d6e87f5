// `ferros run`: boot Ferros on the simulated phone and report the boot-stage timeline.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <ferros/machine/machine.h>
#include <ferros/tools/boot.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <ferros/tools/paths.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <unistd.h>

namespace ferros::tools {

namespace {

    struct RunOptions {
        std::string kernel;
        std::string ssd;
        std::string workload;
        std::string until { "ready" };
        std::optional<uint64_t> max_insns;
        std::string policy;
        std::string fault;
        std::vector<std::string> append;
        double timeout { 120 };
        bool quiet { false };
    };

    constexpr uint64_t kDefaultSsdBytes = 1ull << 20;

    // A scratch directory removed when the run ends.
    struct ScratchDir {
        std::filesystem::path path;
        ScratchDir()
        {
            char pattern[] = "/tmp/ferros-run-XXXXXX";
            if (!::mkdtemp(pattern))
                fail(Exit::Environment, "cannot create a scratch directory in /tmp");
            path = pattern;
        }
        ~ScratchDir()
        {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    };

    void check_ssd_image(const std::string& path, uint64_t max_size)
    {
        std::error_code ec;
        auto status = std::filesystem::status(path, ec);
        if (ec || !std::filesystem::exists(status))
            fail(Exit::Usage, fmt::format("SSD image '{}' does not exist", path));
        if (!std::filesystem::is_regular_file(status))
            fail(Exit::Usage, fmt::format("SSD image '{}' is not a regular file", path));
        auto size = std::filesystem::file_size(path, ec);
        if (ec || size == 0 || size % 4096 != 0 || size > max_size)
            fail(Exit::Usage,
                fmt::format("SSD image '{}' is {} bytes; it must be a non-zero multiple of 4096 bytes and at most {} "
                            "bytes",
                    path, ec ? 0 : size, max_size));
    }

    int run(const RunOptions& options)
    {
        machine::Machine m;
        m.kernel = options.kernel.empty() ? paths().kernel : options.kernel;
        if (options.kernel.empty() && !file_exists(m.kernel))
            fail(Exit::Environment,
                fmt::format("kernel '{}' does not exist: build it with ./ferros (or pass --kernel)", m.kernel));
        std::unique_ptr<ScratchDir> scratch = std::make_unique<ScratchDir>();
        bool const persistent = !options.ssd.empty();
        if (persistent) {
            check_ssd_image(options.ssd, machine::max_ssd_size(m.ram_bytes));
            m.ssd_image = options.ssd;
        } else {
            // No --ssd: a blank SSD that lives only for this run.
            auto blank = scratch->path / "ssd.img";
            std::ofstream(blank, std::ios::binary).write(std::string(kDefaultSsdBytes, '\0').data(), kDefaultSsdBytes);
            m.ssd_image = blank.string();
        }
        m.ssd.size = std::filesystem::file_size(*m.ssd_image);
        if (!options.workload.empty())
            m.workload = options.workload;
        m.kernel_args.push_back("ferros.until=" + options.until);
        if (!options.fault.empty())
            m.kernel_args.push_back("ferros.fault=" + options.fault);
        for (auto const& token : options.append)
            m.kernel_args.push_back(token);

        std::string events_path = (scratch->path / "events.txt").string();
        std::string image_out = persistent ? options.ssd + ".ferros-new" : (scratch->path / "ssd.out").string();
        if (file_exists(paths().plugin)) {
            machine::PluginConfig plugin;
            plugin.path = paths().plugin;
            plugin.events = events_path;
            plugin.image_out = image_out;
            plugin.max_insns = options.max_insns;
            if (!options.policy.empty())
                plugin.policy = options.policy;
            m.plugin = plugin;
        } else if (options.max_insns || !options.policy.empty()) {
            fail(Exit::Environment,
                fmt::format("--max-insns and --policy need the plugin, which this build lacks ({})", paths().plugin));
        }
        if (auto problem = machine::validate(m))
            fail(Exit::Usage, *problem);

        BootOptions boot_options;
        boot_options.echo_console = !options.quiet;
        boot_options.timeout_seconds = options.timeout;
        auto result = boot(m, boot_options);
        if (!result.process.started)
            fail(Exit::Environment, fmt::format("cannot start QEMU: {}", result.process.error));

        if (m.plugin && file_exists(events_path)) {
            if (auto problem = attach_plugin_events(events_path, result.timeline))
                fail(Exit::Failed, *problem);
        }
        // The device model wrote what survives this power-off (or cut); it becomes the image.
        if (persistent && file_exists(image_out))
            std::filesystem::rename(image_out, options.ssd);

        std::printf("\nferros: boot timeline (virtual time: 1 instruction = 1 ns under -icount shift=0)\n%s",
            result.timeline.render().c_str());
        std::printf("ferros: run ended: %s\n", boot_outcome_name(result.outcome));
        std::fflush(stdout);

        switch (result.outcome) {
        case BootOutcome::Ready:
        case BootOutcome::Poweroff:
            break;
        case BootOutcome::Fault:
            fail(Exit::GuestFault, fmt::format("the guest faulted: {}", result.guest_error.value_or("(no report)")));
        case BootOutcome::SelfCheckFailed:
            fail(Exit::SelfCheck, "the guest's invariant self-check failed");
        case BootOutcome::BadCommandLine:
            fail(Exit::Usage, fmt::format("the kernel refused its command line: {}", result.guest_error.value_or("")));
        case BootOutcome::Interrupted:
            fail(Exit::Interrupted, "interrupted: power was cut where the run stood");
        case BootOutcome::Timeout:
            fail(Exit::NotReached, fmt::format("QEMU did not finish within {} s of wall time", options.timeout));
        case BootOutcome::MaxInsns:
        case BootOutcome::Cut:
            fail(Exit::NotReached, fmt::format("the instruction limit ended the run before '{}'", options.until));
        case BootOutcome::QemuFailed: {
            auto text = result.process.stderr_text;
            while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
                text.pop_back();
            fail(Exit::Environment,
                fmt::format("QEMU ended unexpectedly (status {}): {}", result.process.exit_status,
                    text.empty() ? "no message" : text));
        }
        }
        if (!result.timeline.reached(options.until))
            fail(Exit::NotReached, fmt::format("the run ended without reaching '{}'", options.until));
        return static_cast<int>(Exit::Ok);
    }

} // namespace

void register_run(CLI::App& app)
{
    auto options = std::make_shared<RunOptions>();
    auto* cmd = app.add_subcommand("run", "Boot Ferros on the simulated phone and print the boot timeline");
    cmd->add_option("--kernel", options->kernel, "Kernel ELF (default: the built kernel)");
    cmd->add_option("--ssd", options->ssd,
        "SSD image (a multiple of 4 KiB); what the run makes durable is written back to it. "
        "Without it the run uses a blank 1 MiB SSD that is discarded");
    cmd->add_option("--workload", options->workload, "Workload file, given to the kernel as its initrd");
    cmd->add_option("--until", options->until, "Stop at this point")->check(CLI::IsMember({ "ready", "poweroff" }));
    cmd->add_option("--max-insns", options->max_insns, "Cut power after this many guest instructions");
    cmd->add_option("--policy", options->policy, "SSD crash policy of the device model (docs/crash-model.md)");
    cmd->add_option("--fault", options->fault, "Make the kernel take this CPU exception on purpose (testing)")
        ->check(CLI::IsMember({ "de", "ud", "gp", "pf", "bp" }));
    cmd->add_option("--append", options->append, "Extra kernel command-line token (repeatable)");
    cmd->add_option("--timeout", options->timeout, "Wall-clock watchdog in seconds against a hung QEMU");
    cmd->add_flag("--quiet", options->quiet, "Do not stream the guest console");
    cmd->callback([options] { throw CLI::RuntimeError(run(*options)); });
}

} // namespace ferros::tools
