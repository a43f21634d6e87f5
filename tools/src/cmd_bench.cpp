// `ferros bench [NAME...]`: run the Google Benchmark programs of the dev build.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <ferros/qemu/paths.h>
#include <ferros/qemu/process.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <unistd.h>

namespace ferros::tools {

namespace {

    struct BenchOptions {
        std::vector<std::string> names;
        std::string filter;
        bool list { false };
        std::string json_out;
    };

    // name -> executable, for every bench_NAME the build produced.
    std::vector<std::pair<std::string, std::string>> find_benchmarks()
    {
        std::vector<std::pair<std::string, std::string>> found;
        std::error_code ec;
        auto root = std::filesystem::path(qemu::paths().build_dir) / "bench";
        for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
            auto name = it->path().filename().string();
            if (it->is_regular_file() && name.rfind("bench_", 0) == 0 && ::access(it->path().c_str(), X_OK) == 0)
                found.emplace_back(name.substr(6), it->path().string());
        }
        std::sort(found.begin(), found.end());
        return found;
    }

    int bench(const BenchOptions& options)
    {
        auto all = find_benchmarks();
        if (all.empty())
            fail(Exit::Environment, "this build has no benchmarks (build the dev preset)");
        if (options.list) {
            for (auto const& [name, path] : all)
                std::printf("%s\n", name.c_str());
            return 0;
        }
        std::vector<std::pair<std::string, std::string>> chosen;
        for (auto const& wanted : options.names) {
            auto it = std::find_if(all.begin(), all.end(), [&](auto const& b) { return b.first == wanted; });
            if (it == all.end())
                fail(Exit::Usage, fmt::format("no benchmark '{}' (ferros bench --list)", wanted));
            chosen.push_back(*it);
        }
        if (chosen.empty())
            chosen = all;
        int status = 0;
        for (auto const& [name, path] : chosen) {
            std::printf("ferros: bench %s\n", name.c_str());
            std::fflush(stdout);
            std::vector<std::string> argv { path, "--benchmark_counters_tabular=true" };
            if (!options.filter.empty())
                argv.push_back("--benchmark_filter=" + options.filter);
            if (!options.json_out.empty()) {
                argv.push_back(fmt::format("--benchmark_out={}/{}.json", options.json_out, name));
                argv.push_back("--benchmark_out_format=json");
            }
            qemu::ProcessOptions inherit;
            inherit.inherit_stdout = true;
            inherit.echo_stderr = true;
            auto result = qemu::run_process(argv, inherit);
            if (result.interrupted)
                fail(Exit::Interrupted, "interrupted");
            if (!result.exited || result.exit_status != 0)
                status = static_cast<int>(Exit::Failed);
        }
        return status;
    }

} // namespace

void register_bench(CLI::App& app)
{
    auto options = std::make_shared<BenchOptions>();
    auto* cmd = app.add_subcommand("bench", "Run benchmarks (all, or the named ones: ferros bench --list)");
    cmd->add_option("names", options->names, "Benchmarks to run (default: all)");
    cmd->add_option("--filter", options->filter, "Only benchmark cases matching this regex");
    cmd->add_option("--json-out", options->json_out, "Also write NAME.json results into this directory");
    cmd->add_flag("--list", options->list, "List the benchmarks");
    cmd->callback([options] { throw CLI::RuntimeError(bench(*options)); });
}

} // namespace ferros::tools
