// `ferros workload gen|show`: write a deterministic workload, or print one as text.
#include <CLI/CLI.hpp>
#include <ferros/qemu/files.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <ferros/workload/builder.h>
#include <fmt/format.h>
#include <memory>

namespace ferros::tools {

namespace {

    struct GenOptions {
        uint64_t seed { 1 };
        uint32_t ops { 200 };
        std::string profile { "mixed" };
        std::string out;
    };

    int gen(const GenOptions& options)
    {
        auto const* profile = workload::find_profile(options.profile);
        if (!profile) {
            std::string names;
            for (auto const& p : workload::profiles())
                names += std::string(names.empty() ? "" : ", ") + p.name;
            fail(Exit::Usage, fmt::format("unknown workload profile '{}' (one of: {})", options.profile, names));
        }
        if (options.ops < 1 || options.ops > abi::kMaxWorkloadOps)
            fail(Exit::Usage, fmt::format("--ops must be between 1 and {}", abi::kMaxWorkloadOps));
        auto bytes = workload::generate(options.seed, options.ops, *profile);
        auto out = options.out.empty() ? fmt::format("workload-{}-{}.bin", profile->name, options.seed) : options.out;
        must(qemu::write_file_atomically(out, bytes));
        std::printf("ferros: wrote %s: %u ops, %zu bytes, profile %s, seed %llu\n", out.c_str(), options.ops,
            bytes.size(), profile->name, static_cast<unsigned long long>(options.seed));
        // The phases of a mix are not in the file: say where each one lies.
        if (profile->phases.size() > 1) {
            for (auto const& span : workload::phase_spans(*profile, options.ops))
                std::printf("  phase %-12s ops %u-%u\n", span.phase->name, span.first,
                    span.end > span.first ? span.end - 1 : span.first);
        }
        return 0;
    }

    int show(const std::string& path)
    {
        auto bytes = must(qemu::read_file(path, "workload"));
        auto workload = must(qemu::load_workload(path, bytes));
        std::fputs(workload::to_text(workload).c_str(), stdout);
        return 0;
    }

} // namespace

void register_workload(CLI::App& app)
{
    auto* cmd = app.add_subcommand("workload", "Generate or show workloads (programs of store system calls)");
    cmd->require_subcommand(1);
    auto gen_options = std::make_shared<GenOptions>();
    std::string profile_help = "Profile:";
    for (auto const& p : workload::profiles())
        profile_help += fmt::format(" {} ({});", p.name, p.description);
    auto* g = cmd->add_subcommand("gen", "Write a deterministic workload from a seed");
    g->add_option("--seed", gen_options->seed, "Seed for the project's PRNG (xoshiro256**)");
    g->add_option("--ops", gen_options->ops, "Number of operations (default 200)");
    g->add_option("--profile", gen_options->profile, profile_help);
    g->add_option("-o,--out", gen_options->out, "Output file (default workload-PROFILE-SEED.bin)");
    g->callback([gen_options] { throw CLI::RuntimeError(gen(*gen_options)); });
    auto path = std::make_shared<std::string>();
    auto* s = cmd->add_subcommand("show", "Print a workload as text, one operation a line");
    s->add_option("file", *path, "Workload file")->required();
    s->callback([path] { throw CLI::RuntimeError(show(*path)); });
}

} // namespace ferros::tools
