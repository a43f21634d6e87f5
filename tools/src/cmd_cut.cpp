// `ferros cut`: run Ferros and cut power at exactly boundary N (or right after a marker);
// write the SSD image the crash policy leaves there.
#include <CLI/CLI.hpp>
#include <ferros/plugin/marker_names.h>
#include <ferros/plugin/plugin_arguments.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/paths.h>
#include <ferros/tools/command_support.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <fmt/format.h>
#include <memory>

namespace ferros::tools {

namespace {

    struct CutOptions {
        qemu::MachineOptions machine;
        std::optional<uint64_t> at;
        std::string at_marker;
        std::string policy { "cache:4096" };
        uint64_t state { 0 };
        uint64_t seed { 0 };
        std::string out;
        bool quiet { true };
    };

    int cut(const CutOptions& options)
    {
        if (options.at.has_value() == !options.at_marker.empty())
            fail(Exit::Usage, "give exactly one of --at N and --at-marker KIND:PAYLOAD");
        if (!options.at_marker.empty()) {
            auto marker = plugin::parse_marker_spec(options.at_marker);
            if (marker.is_error())
                fail(Exit::Usage,
                    fmt::format("--at-marker {}: {}", options.at_marker, ferros::describe_error(marker.error())));
        }
        auto scratch = must(qemu::ScratchDir::create());
        auto m = must(qemu::make_machine(options.machine, scratch));
        m.kernel_args.push_back("ferros.until=poweroff");
        auto plugin = must(qemu::plugin_config());
        plugin.cut_at = options.at;
        if (!options.at_marker.empty())
            plugin.cut_marker = options.at_marker;
        plugin.policy = must(qemu::checked_policy(options.policy));
        plugin.state = options.state;
        plugin.seed = options.seed;
        plugin.image_out = options.out;
        auto events = scratch.file("events.txt");
        plugin.events = events;
        m.plugin = plugin;

        qemu::BootOptions boot_options;
        boot_options.echo_console = !options.quiet;
        boot_options.timeout_seconds = options.machine.timeout;
        auto result = qemu::boot(m, boot_options);
        if (qemu::file_exists(events)) {
            if (auto attached = qemu::attach_plugin_events(events, result.timeline); attached.is_error())
                fail(Exit::Failed, attached.error().message());
        }
        auto end = result.timeline.end();
        if (result.outcome == qemu::BootOutcome::Poweroff || result.outcome == qemu::BootOutcome::Ready) {
            // N beyond the run: the run ended first, and the image is what its power-off left.
            fail(Exit::NotReached,
                fmt::format("the run ended at boundary {} before the cut; {} holds the power-off image",
                    end ? std::to_string(*end) : "?", options.out));
        }
        must(qemu::expect_clean(result, options.machine.timeout, qemu::CutExpected::Yes));
        std::printf("ferros: cut at boundary %llu (policy %s, state %llu): image written to %s\n",
            static_cast<unsigned long long>(end.value_or(0)), options.policy.c_str(),
            static_cast<unsigned long long>(options.state), options.out.c_str());
        return 0;
    }

} // namespace

void register_cut(CLI::App& app)
{
    auto options = std::make_shared<CutOptions>();
    auto* cmd = app.add_subcommand("cut", "Cut power at boundary N (or at a marker) and write the image left");
    add_machine_options(*cmd, options->machine, SsdRequired::No);
    cmd->add_option("--at", options->at, "Cut when exactly N instructions have retired (0: before the first)");
    cmd->add_option(
        "--at-marker", options->at_marker, "Cut right after a marker: KIND:PAYLOAD, e.g. stage:ready, op-durable:12");
    cmd->add_option("--policy", options->policy, "Crash policy (docs/crash-model.md)");
    cmd->add_option("--state", options->state, "Which of the states the policy allows (0: nothing pending survives)");
    cmd->add_option("--seed", options->seed, "Seed for sampled states");
    cmd->add_option("-o,--out", options->out, "Image file to write")->required();
    cmd->add_flag("!--console", options->quiet, "Stream the guest console");
    cmd->callback([options] { throw CLI::RuntimeError(cut(*options)); });
}

} // namespace ferros::tools
