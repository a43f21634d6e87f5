// `ferros repro TOKEN`: rebuild exactly the crash state a token names, check it host-natively,
// cross-check it against a real cut, reboot Ferros on it, and say which invariant fails. The
// work is campaign::repro (simulator/campaign); this file parses and prints.
#include <CLI/CLI.hpp>
#include <ferros/campaign/repro.h>
#include <ferros/qemu/files.h>
#include <ferros/tools/command_support.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <ferros/workload/builder.h>
#include <fmt/format.h>
#include <memory>

namespace ferros::tools {

namespace {

    struct ReproOptions {
        std::string token;
        std::string workload;
        std::string kernel;
        bool gdb { false };
        uint16_t gdb_port { 1234 };
    };

    void print_operations(const abi::Workload& workload, const campaign::Repro& found)
    {
        std::vector<std::string> lines;
        auto text = workload::to_text(workload);
        size_t pos = text.find('\n');
        while (pos != std::string::npos && pos + 1 < text.size()) {
            auto next = text.find('\n', pos + 1);
            lines.push_back(text.substr(pos + 1, next - pos - 1));
            pos = next;
        }
        int64_t const around = found.last_submitted ? *found.last_submitted : -1;
        std::printf("ferros: operations around the cut (last submitted: %s, last acknowledged durable: %s)\n",
            found.last_submitted ? std::to_string(*found.last_submitted).c_str() : "none",
            found.last_durable ? std::to_string(*found.last_durable).c_str() : "none");
        for (int64_t i = std::max<int64_t>(0, around - 4); i < static_cast<int64_t>(lines.size()) && i <= around + 3;
             ++i) {
            const char* mark = i == around ? "  <- in flight at the cut" : (i < around ? "" : "  (not yet submitted)");
            std::printf("  %s%s\n", lines[static_cast<size_t>(i)].c_str(), mark);
        }
    }

    void print_by_hand(const campaign::ReproToken& token, const std::string& workload_file)
    {
        std::printf("ferros: repro: by hand:\n");
        if (token.generated)
            std::printf("  ferros workload gen --seed %llu --ops %u --profile %s -o w.bin\n",
                static_cast<unsigned long long>(token.generated->seed), token.generated->ops,
                token.generated->profile.c_str());
        std::printf("  truncate -s %llu blank.img\n", static_cast<unsigned long long>(token.image_size));
        auto const bug = token.bug == "none" ? std::string() : fmt::format(" --append ferros.bug={}", token.bug);
        std::printf("  ferros cut --ssd blank.img --workload %s --at %llu --policy %s --state %llu --seed %llu%s -o "
                    "state.img\n",
            token.generated ? "w.bin" : workload_file.c_str(), static_cast<unsigned long long>(token.boundary),
            token.policy.c_str(), static_cast<unsigned long long>(token.state),
            static_cast<unsigned long long>(token.seed), bug.c_str());
        std::printf("  ferros run --ssd state.img --until ready%s\n", bug.c_str());
    }

    int repro(const ReproOptions& options)
    {
        auto decoded = campaign::ReproToken::decode(options.token);
        if (decoded.is_error())
            fail(Exit::Usage, fmt::format("bad repro token: {}", ferros::describe_error(decoded.error())));
        auto token = decoded.release_value();

        auto scratch = must(qemu::ScratchDir::create());
        campaign::ReproOptions engine_options;
        engine_options.workload = options.workload;
        engine_options.kernel = options.kernel;
        if (options.gdb)
            engine_options.gdb_port = options.gdb_port;
        ConsoleReporter reporter(stdout);
        auto found = must(campaign::repro(token, engine_options, scratch, reporter));

        std::printf("ferros: repro: a real cut at boundary %llu leaves %s image as the reconstruction\n",
            static_cast<unsigned long long>(token.boundary), found.real_cut_agrees ? "the same" : "a DIFFERENT");
        std::string label = fmt::format("boundary {} state {}", token.boundary, token.state);
        if (token.nested)
            label += fmt::format(
                ", then boundary {} state {} of its recovery", token.nested->boundary, token.nested->state);
        auto kept = fmt::format("ferros-repro-{}-{}.img", token.boundary, token.state);
        must(qemu::write_file_atomically(kept, found.image));
        print_operations(found.plan.workload(), found);

        auto const& result = found.reboot;
        auto ready = qemu::ready_instructions(result.timeline);
        std::printf("ferros: repro: reboot on the state: %s%s\n", qemu::boot_outcome_name(result.outcome),
            ready                    ? fmt::format(" (kernel-entry to ready: {} instructions)", *ready).c_str()
                : result.guest_error ? (": " + *result.guest_error).c_str()
                                     : "");
        print_by_hand(token, options.workload);
        std::printf("ferros: repro: the state's image is in %s\n", kept.c_str());

        if (found.host.empty() && !found.reboot_violation) {
            std::printf("ferros: repro: %s violates no invariant\n", label.c_str());
            return 0;
        }
        for (auto const& v : found.host)
            std::printf("ferros: repro: violated %s%s (%s): %s\n", token.nested ? "R8 via " : "",
                check::invariant_id(v.invariant), check::invariant_name(v.invariant), v.message.c_str());
        if (auto const& v = found.reboot_violation)
            std::printf("ferros: repro: violated %s (%s): %s\n", check::invariant_id(v->invariant),
                check::invariant_name(v->invariant), v->message.c_str());
        return static_cast<int>(Exit::Failed);
    }

} // namespace

void register_repro(CLI::App& app)
{
    auto options = std::make_shared<ReproOptions>();
    auto* cmd = app.add_subcommand("repro", "Rebuild the crash state a repro token names and check it again");
    cmd->add_option("token", options->token, "The token a campaign printed")->required();
    cmd->add_option("--workload", options->workload, "The workload file, for tokens of file workloads");
    cmd->add_option("--kernel", options->kernel, "Kernel ELF (default: the built kernel)");
    cmd->add_flag("--gdb", options->gdb, "Start the reboot on the state paused, with QEMU's gdbstub");
    cmd->add_option("--gdb-port", options->gdb_port, "TCP port of the gdbstub (default 1234)");
    cmd->callback([options] { throw CLI::RuntimeError(repro(*options)); });
}

} // namespace ferros::tools
