// `ferros fuzz`: coverage-guided crash-consistency fuzzing of workloads (issue 12,
// docs/fuzzing.md). libFuzzer needs clang and this command is built by gcc, so the fuzzer is
// its own program, fuzz_crash, built by the fuzzrun preset (clang-14, libFuzzer, no
// sanitizers); this command builds it on demand, runs --jobs copies of it on one corpus, and
// turns what they find into findings (simulator/fuzz/driver.h), each confirmed in QEMU by a
// campaign on its workload.
#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <ferros/fuzz/driver.h>
#include <ferros/qemu/paths.h>
#include <ferros/qemu/process.h>
#include <ferros/tools/command_support.h>
#include <ferros/tools/commands.h>
#include <ferros/tools/error.h>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <sys/file.h>
#include <unistd.h>

namespace ferros::tools {

namespace {

    struct FuzzOptions {
        fuzz::DriverOptions driver;
        std::string bug { "none" };
        bool merge { false };
        bool json { false };
        bool quiet { false };
    };

    std::string clock_text(double seconds)
    {
        auto s = static_cast<long>(seconds + 0.5);
        return fmt::format("{}:{:02}", s / 60, s % 60);
    }

    std::string thousands(uint64_t n)
    {
        auto text = std::to_string(n);
        for (int i = static_cast<int>(text.size()) - 3; i > 0; i -= 3)
            text.insert(static_cast<size_t>(i), ",");
        return text;
    }

    // An exclusive flock(2) held for the life of the object; the kernel drops it if we die.
    class BuildLock {
    public:
        explicit BuildLock(const std::string& path)
            : m_fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644))
        {
            if (m_fd < 0)
                fail(Exit::Environment, fmt::format("cannot open the build lock {}", path));
            while (::flock(m_fd, LOCK_EX) != 0) {
                if (errno != EINTR)
                    fail(Exit::Environment, fmt::format("cannot lock {}", path));
            }
        }
        ~BuildLock() { ::close(m_fd); }
        BuildLock(const BuildLock&) = delete;
        BuildLock& operator=(const BuildLock&) = delete;

    private:
        int m_fd;
    };

    // The fuzzer program: --fuzzer, $FERROS_FUZZER, or the fuzzrun preset's build of it, made
    // (incrementally) now.
    std::string fuzzer_binary(const std::string& given)
    {
        if (!given.empty())
            return given;
        if (const char* env = std::getenv("FERROS_FUZZER"); env && *env)
            return env;
        auto const source = qemu::paths().source_dir;
        auto const build = source + "/build/fuzzrun";
        // Two `ferros fuzz` at once (ctest runs the fuzz tests in parallel) must not run two
        // ninjas in one build directory: one deletes the other's half-written archives. The
        // second waits for the first's build and then finds nothing to do.
        std::filesystem::create_directories(source + "/build");
        BuildLock lock(source + "/build/fuzzrun.lock");
        qemu::ProcessOptions quiet;
        std::string log;
        quiet.on_line = [&](const std::string& line) { log += line + "\n"; };
        if (!qemu::file_exists(build + "/build.ninja")) {
            std::fprintf(stderr, "ferros: configuring the fuzzrun preset (clang-14 + libFuzzer) for the fuzzer\n");
            auto configured = qemu::run_process({ "cmake", "--preset", "fuzzrun", "-S", source }, quiet);
            if (!configured.exited || configured.exit_status != 0) {
                std::fputs(log.c_str(), stderr);
                std::fputs(configured.stderr_text.c_str(), stderr);
                fail(Exit::Environment, "configuring the fuzzrun preset failed (clang-14 and libclang-rt-14-dev?)");
            }
        }
        auto built = qemu::run_process({ "cmake", "--build", build, "--target", "fuzz_crash" }, quiet);
        if (!built.exited || built.exit_status != 0) {
            std::fputs(log.c_str(), stderr);
            std::fputs(built.stderr_text.c_str(), stderr);
            fail(Exit::Environment, "building the fuzzer (preset fuzzrun, target fuzz_crash) failed");
        }
        return build + "/fuzz/crash/fuzz_crash";
    }

    std::string self_path()
    {
        std::error_code ec;
        auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
        return ec ? std::string("ferros") : path.string();
    }

    void print_progress(const fuzz::ProgressSample& s, double total, bool tty, double& last_line)
    {
        auto const line
            = fmt::format("ferros: fuzz {} of {}  exec/s {}  executions {}  coverage {}  corpus {}  findings {}",
                clock_text(s.elapsed), clock_text(total), thousands(static_cast<uint64_t>(s.exec_per_s + 0.5)),
                thousands(s.executions), thousands(s.coverage), thousands(s.corpus), s.findings);
        if (tty) {
            std::fprintf(stderr, "\r%s\033[K", line.c_str());
        } else if (s.elapsed - last_line >= 10) {
            last_line = s.elapsed;
            std::fprintf(stderr, "%s\n", line.c_str());
        }
        std::fflush(stderr);
    }

    int print_summary(const FuzzOptions& options, const fuzz::DriverSummary& s)
    {
        auto const& d = options.driver;
        std::printf("ferros fuzz: %s on %u job%s, policy %s, seeded bug %s, %s\n", clock_text(s.seconds).c_str(),
            s.jobs, s.jobs == 1 ? "" : "s", d.policy.c_str(), storage::seeded_bug_name(d.bug),
            d.live ? "R1-R6, R14" : "R1-R6 (no R14)");
        if (d.max_cuts == 0)
            std::printf("  cut points   every one, before each device operation and inside each write within a unit\n");
        else
            std::printf(
                "  cut points   every one, before each device operation and inside each write within a unit; a seeded "
                "sample of %lu for an input of over 32 ops with more\n",
                static_cast<unsigned long>(d.max_cuts));
        std::printf("  executions   %s (%s/s)\n", thousands(s.executions).c_str(),
            thousands(static_cast<uint64_t>(s.seconds > 0 ? static_cast<double>(s.executions) / s.seconds : 0))
                .c_str());
        std::printf(
            "  coverage     %s edges, %s features\n", thousands(s.coverage).c_str(), thousands(s.features).c_str());
        std::printf("  corpus       %s inputs in %s\n", thousands(s.corpus).c_str(),
            (d.corpus.empty() ? d.out + "/corpus" : d.corpus).c_str());
        std::printf("  findings     %zu new", s.findings.size());
        if (s.first_finding)
            std::printf(" (the first after %.1f s)", *s.first_finding);
        if (!s.known.empty())
            std::printf("; %zu known from earlier runs of %s", s.known.size(), d.out.c_str());
        std::printf("\n");
        for (auto const& f : s.findings) {
            std::printf("    %s  %s\n", f.signature.c_str(), f.description.c_str());
            std::printf("      workload   %s (%u ops, %u as found)\n", f.workload.c_str(), f.ops, f.original_ops);
            std::printf("      campaign   %s\n", f.campaign_command.c_str());
            if (f.reproduced_in_guest) {
                std::printf("      in QEMU    %s\n", f.guest_invariants.c_str());
                std::printf("      repro      %s\n", f.repro_command.c_str());
            } else if (f.guest_checked) {
                std::printf(
                    "      in QEMU    nothing found%s\n", f.guest_error.empty() ? "" : (": " + f.guest_error).c_str());
            } else {
                std::printf(
                    "      in QEMU    not run%s\n", f.guest_error.empty() ? "" : (": " + f.guest_error).c_str());
            }
        }
        for (auto const& other : s.other_artefacts)
            std::printf("  libFuzzer    %s\n", other.c_str());
        if (options.json)
            std::printf("%s\n", fuzz::summary_json(d, s).c_str());
        std::fflush(stdout);
        if (s.interrupted)
            return static_cast<int>(Exit::Interrupted);
        return static_cast<int>(s.findings.empty() && s.known.empty() ? Exit::Ok : Exit::Failed);
    }

    int run(FuzzOptions& options)
    {
        auto& d = options.driver;
        auto bug = storage::seeded_bug_from_name(options.bug.c_str(), options.bug.size());
        if (bug.is_error())
            fail(Exit::Usage, fmt::format("no seeded bug '{}' (ferros campaign --list-bugs)", options.bug));
        d.bug = bug.value();
        d.policy = must(qemu::checked_policy(d.policy));
        if (d.jobs == 0)
            fail(Exit::Usage, "--jobs must be at least 1");
        if (d.seconds <= 0)
            fail(Exit::Usage, "--time must be more than 0 seconds");
        d.fuzzer = fuzzer_binary(d.fuzzer);
        d.ferros = self_path();
        bool const tty = ::isatty(STDERR_FILENO) == 1 && !options.quiet;
        d.note = [&options, tty](const std::string& line) {
            if (!options.quiet)
                std::fprintf(stderr, "%sferros: %s\n", tty ? "\r\033[K" : "", line.c_str());
        };
        if (options.merge) {
            auto merged = must(fuzz::merge_corpus(d));
            std::fputs(merged.log.c_str(), stderr);
            std::printf("ferros fuzz --merge: %lu inputs, %lu after the merge\n",
                static_cast<unsigned long>(merged.before), static_cast<unsigned long>(merged.after));
            return 0;
        }
        double last_line = 0;
        auto summary = [&] {
            StopOnSignal stop;
            return fuzz::run_fuzzing(
                d,
                [&](const fuzz::ProgressSample& sample) {
                    if (!options.quiet)
                        print_progress(sample, d.seconds, tty, last_line);
                },
                stop.flag());
        }();
        if (tty)
            std::fprintf(stderr, "\n");
        return print_summary(options, must(std::move(summary)));
    }

} // namespace

void register_fuzz(CLI::App& app)
{
    auto options = std::make_shared<FuzzOptions>();
    auto& d = options->driver;
    auto* cmd = app.add_subcommand(
        "fuzz", "Crash-consistency fuzzing: libFuzzer mutates workloads, every cut point's crash states are checked");
    cmd->add_option("--time", d.seconds, "Seconds to fuzz (default 60)");
    cmd->add_option("--jobs", d.jobs, "libFuzzer processes on the one corpus (default 1)");
    cmd->add_option("--corpus", d.corpus, "Corpus directory (default OUT/corpus); a rerun resumes from it");
    cmd->add_option("--policy", d.policy, "Crash policy (docs/crash-model.md; default cache:512:4, the campaign's)");
    cmd->add_option("--inject-bug", options->bug, "Build the store with this seeded bug (ferros campaign --list-bugs)");
    cmd->add_option("--seed", d.seed, "Seed of the libFuzzer processes (default 1)");
    cmd->add_option("--out", d.out, "Output directory (default fuzz-out): corpus, findings, logs");
    cmd->add_flag("--merge", options->merge, "Minimise the corpus with libFuzzer's -merge=1 and stop");
    cmd->add_option("--max-findings", d.max_findings, "Stop after this many new findings (default: run for --time)");
    cmd->add_option("--max-cuts", d.max_cuts,
        "Cut points checked per input; a longer input checks a seeded sample of them (default 256; 0: all)");
    cmd->add_flag(
        "--no-live", [&d](int64_t) { d.live = false; },
        "Leave R14 (the store's continuation after recovery) out, as the campaign's --no-live: about four times "
        "the executions");
    cmd->add_flag(
        "--no-guest", [&d](int64_t) { d.guest = false; }, "Do not confirm findings in QEMU (no campaign, no token)");
    cmd->add_option("--fuzzer", d.fuzzer, "The fuzzer program (default: the fuzzrun preset's fuzz_crash, built now)");
    cmd->add_flag("--json", options->json, "Print one JSON object as the last line");
    cmd->add_flag("--quiet", options->quiet, "No progress line");
    cmd->callback([options] { throw CLI::RuntimeError(run(*options)); });
}

} // namespace ferros::tools
