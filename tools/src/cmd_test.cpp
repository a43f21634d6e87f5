// `ferros test`: build every preset the test suite needs and run its tests.
#include <CLI/CLI.hpp>
#include <ferros/qemu/paths.h>
#include <ferros/qemu/process.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <fmt/format.h>
#include <memory>
#include <regex>

namespace ferros::tools {

namespace {

    struct TestOptions {
        std::vector<std::string> presets { "dev", "asan", "fuzz" };
        bool slow { false };
        std::string label;
        std::string name_regex;
    };

    struct Tally {
        int passed { 0 };
        int failed { 0 };
    };

    void build_preset(const std::string& preset)
    {
        auto build_dir = qemu::paths().source_dir + "/build/" + preset;
        qemu::ProcessOptions quiet;
        quiet.echo_stderr = true;
        std::string log;
        quiet.on_line = [&](const std::string& line) { log += line + "\n"; };
        if (!qemu::file_exists(build_dir + "/build.ninja")) {
            auto configured = qemu::run_process({ "cmake", "--preset", preset, "-S", qemu::paths().source_dir }, quiet);
            if (!configured.exited || configured.exit_status != 0) {
                std::fputs(log.c_str(), stdout);
                fail(Exit::Failed, fmt::format("configuring preset '{}' failed", preset));
            }
        }
        std::printf("ferros: building preset %s\n", preset.c_str());
        std::fflush(stdout);
        log.clear();
        auto built = qemu::run_process({ "cmake", "--build", build_dir }, quiet);
        if (!built.exited || built.exit_status != 0) {
            std::fputs(log.c_str(), stdout);
            fail(Exit::Failed, fmt::format("building preset '{}' failed", preset));
        }
    }

    // Runs one ctest preset, streaming its output, and adds its counts to the tally.
    void run_tests(const std::string& preset, const TestOptions& options, Tally& tally)
    {
        std::vector<std::string> argv { "ctest", "--preset", options.slow && preset == "dev" ? "slow" : preset };
        if (!options.label.empty()) {
            argv.push_back("-L");
            argv.push_back(options.label);
        }
        if (!options.name_regex.empty()) {
            argv.push_back("-R");
            argv.push_back(options.name_regex);
        }
        static const std::regex summary(R"((\d+)% tests passed, (\d+) tests failed out of (\d+))");
        bool counted = false;
        qemu::ProcessOptions stream;
        stream.echo_stderr = true;
        stream.on_line = [&](const std::string& line) {
            std::printf("%s\n", line.c_str());
            std::fflush(stdout);
            std::smatch m;
            if (std::regex_search(line, m, summary)) {
                int failed = std::stoi(m[2]), total = std::stoi(m[3]);
                tally.failed += failed;
                tally.passed += total - failed;
                counted = true;
            }
        };
        std::printf("ferros: testing preset %s\n", preset.c_str());
        std::fflush(stdout);
        auto result = qemu::run_process(argv, stream);
        if (result.interrupted)
            fail(Exit::Interrupted, "interrupted");
        if (!counted && (!result.exited || result.exit_status != 0)) {
            // ctest itself failed (no tests matched, or it could not run): count it as a failure.
            tally.failed += 1;
        }
    }

    int test(const TestOptions& options)
    {
        auto presets = options.presets;
        // The slow tests are QEMU campaigns of the dev build; the other presets have none.
        if (options.slow && presets == std::vector<std::string> { "dev", "asan", "fuzz" })
            presets = { "dev" };
        for (auto const& preset : presets) {
            if (preset != "dev" && preset != "asan" && preset != "fuzz")
                fail(Exit::Usage, fmt::format("unknown preset '{}' (dev, asan, fuzz)", preset));
        }
        Tally tally;
        for (auto const& preset : presets) {
            if (preset != "dev")
                build_preset(preset);
            run_tests(preset, options, tally);
        }
        std::printf("test: %d passed, %d failed\n", tally.passed, tally.failed);
        return static_cast<int>(tally.failed == 0 ? Exit::Ok : Exit::Failed);
    }

} // namespace

void register_test(CLI::App& app)
{
    auto options = std::make_shared<TestOptions>();
    auto* cmd = app.add_subcommand(
        "test", "Build the dev, asan and fuzz presets and run their tests (slow tests only with --slow)");
    cmd->add_option("--preset", options->presets, "Presets to test, in order (default: dev asan fuzz)");
    cmd->add_flag(
        "--slow", options->slow, "Run only the tests labelled slow (dev preset unless --preset says otherwise)");
    cmd->add_option("-L,--label", options->label, "Only tests whose label matches this regex");
    cmd->add_option("-R,--regex", options->name_regex, "Only tests whose name matches this regex");
    cmd->callback([options] { throw CLI::RuntimeError(test(*options)); });
}

} // namespace ferros::tools
