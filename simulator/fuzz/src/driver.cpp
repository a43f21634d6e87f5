#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <ferros/base/rng.h>
#include <ferros/fuzz/driver.h>
#include <ferros/fuzz/finding.h>
#include <ferros/fuzz/minimize.h>
#include <ferros/fuzz/seeds.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/paths.h>
#include <ferros/qemu/process.h>
#include <ferros/workload/builder.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <regex>
#include <set>
#include <sstream>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace ferros::fuzz {

namespace fs = std::filesystem;

namespace {

    using Clock = std::chrono::steady_clock;

    double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

    Result<void> write_text(const std::string& path, const std::string& text)
    {
        return qemu::write_file_atomically(path, std::vector<uint8_t>(text.begin(), text.end()));
    }

    std::string corpus_dir(const DriverOptions& options)
    {
        return options.corpus.empty() ? options.out + "/corpus" : options.corpus;
    }

    uint64_t count_files(const std::string& dir)
    {
        uint64_t count = 0;
        std::error_code ec;
        for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
            if (it->is_regular_file())
                ++count;
        return count;
    }

    // What a directory fuzzes: a rerun with the same settings resumes, with others is refused
    // (its known signatures and findings would not mean the same).
    Result<void> claim_directory(const DriverOptions& options)
    {
        nlohmann::json identity
            = { { "format", 1 }, { "policy", options.policy }, { "bug", storage::seeded_bug_name(options.bug) },
                  { "max_cuts", options.max_cuts }, { "live", options.live } };
        auto const path = options.out + "/fuzz.json";
        if (qemu::file_exists(path)) {
            auto bytes = TRY(qemu::read_file(path, "fuzzing directory identity"));
            auto existing = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
            if (existing.is_discarded())
                return Failure(ErrorCode::InvalidArgument, fmt::format("'{}' is not a fuzzing identity", path));
            for (auto const& [key, value] : identity.items())
                if (existing[key] != value)
                    return Failure(ErrorCode::InvalidArgument,
                        fmt::format("'{}' holds a fuzzing run with {} {} (this one: {}); use another --out",
                            options.out, key, existing[key].dump(), value.dump()));
            return {};
        }
        return write_text(path, identity.dump(2) + "\n");
    }

    std::vector<std::string> read_known(const std::string& path)
    {
        std::vector<std::string> known;
        std::ifstream in(path);
        for (std::string line; std::getline(in, line);)
            if (parse_signature(line))
                known.push_back(line);
        return known;
    }

    // The libFuzzer process of one job. Its output (libFuzzer writes to stderr) is read line by
    // line; its executions are counted by the target in a shared 8-byte file.
    struct Worker {
        unsigned index { 0 };
        pid_t pid { -1 };
        int fd { -1 };
        std::string pending; // an incomplete line
        std::ofstream log;
        volatile uint64_t* counter { nullptr };
        uint64_t coverage { 0 }, features { 0 };
        unsigned starts { 0 };
        std::optional<std::string> finding; // the key of the finding it reported
        std::optional<std::string> artefact; // the file libFuzzer wrote
        std::optional<double> found_at;
        std::string other; // libFuzzer's own verdict (timeout, out-of-memory)
    };

    uint32_t worker_seed(uint64_t seed, unsigned index, unsigned start)
    {
        uint64_t state = seed * 1000003 + index * 7919 + start * 104729;
        auto const mixed = static_cast<uint32_t>(splitmix64(state) & 0x7fffffff);
        return mixed == 0 ? 1 : mixed; // libFuzzer takes -seed=0 for "pick one"
    }

    Result<void> start_worker(
        Worker& worker, const DriverOptions& options, const std::vector<std::string>& env_extra, double seconds)
    {
        std::vector<std::string> argv { options.fuzzer,
            fmt::format("-seed={}", worker_seed(options.seed, worker.index, worker.starts)),
            fmt::format("-max_total_time={}", std::max(1, static_cast<int>(seconds))),
            fmt::format("-max_len={}", options.max_len), "-timeout=30", "-rss_limit_mb=2048",
            "-artifact_prefix=" + options.out + "/crashes/", "-print_final_stats=1", corpus_dir(options),
            options.out + "/seeds" };
        std::vector<std::string> env;
        for (char** e = environ; *e; ++e)
            if (std::strncmp(*e, "FERROS_FUZZ_", 12) != 0)
                env.push_back(*e);
        env.insert(env.end(), env_extra.begin(), env_extra.end());
        env.push_back(fmt::format("FERROS_FUZZ_STATS={}/logs/worker-{}.count", options.out, worker.index));
        std::vector<char*> cargv, cenv;
        for (auto& a : argv)
            cargv.push_back(a.data());
        cargv.push_back(nullptr);
        for (auto& e : env)
            cenv.push_back(e.data());
        cenv.push_back(nullptr);
        int pipe_fds[2];
        if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
            return Failure(ErrorCode::Io, std::string("pipe: ") + std::strerror(errno));
        pid_t const pid = ::fork();
        if (pid < 0)
            return Failure(ErrorCode::Io, std::string("fork: ") + std::strerror(errno));
        if (pid == 0) {
            int const null = ::open("/dev/null", O_RDWR);
            ::dup2(null, 0);
            ::dup2(pipe_fds[1], 1);
            ::dup2(pipe_fds[1], 2);
            // Its own process group: a Ctrl-C reaches the workers through the driver, which
            // then still writes the summary.
            ::setpgid(0, 0);
            ::execve(cargv[0], cargv.data(), cenv.data());
            std::fprintf(stderr, "ferros: error: cannot run the fuzzer %s: %s\n", cargv[0], std::strerror(errno));
            ::_exit(127);
        }
        ::close(pipe_fds[1]);
        worker.pid = pid;
        worker.fd = pipe_fds[0];
        worker.pending.clear();
        worker.finding.reset();
        worker.artefact.reset();
        worker.found_at.reset();
        worker.other.clear();
        worker.starts++;
        worker.log << fmt::format(
            "ferros: start {} of worker {}: {}\n", worker.starts, worker.index, qemu::shell_quote(argv));
        worker.log.flush();
        return {};
    }

    void take_line(Worker& worker, const std::string& line, Clock::time_point start)
    {
        worker.log << line << '\n';
        static const std::regex stats(R"(cov: (\d+) ft: (\d+))");
        std::smatch m;
        if (std::regex_search(line, m, stats)) {
            worker.coverage = std::max<uint64_t>(worker.coverage, std::stoull(m[1]));
            worker.features = std::max<uint64_t>(worker.features, std::stoull(m[2]));
        }
        static const std::string finding = "==ferros-fuzz== FINDING ";
        if (line.rfind(finding, 0) == 0) {
            auto const rest = line.substr(finding.size());
            worker.finding = rest.substr(0, rest.find(' '));
            worker.found_at = since(start);
        }
        static const std::string written = "Test unit written to ";
        if (auto at = line.find(written); at != std::string::npos)
            worker.artefact = line.substr(at + written.size());
        static const std::string summary = "SUMMARY: libFuzzer: ";
        if (line.rfind(summary, 0) == 0)
            worker.other = line.substr(summary.size());
    }

    void drain(Worker& worker, Clock::time_point start)
    {
        char chunk[8192];
        for (;;) {
            ssize_t const n = ::read(worker.fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                ::close(worker.fd);
                worker.fd = -1;
                if (!worker.pending.empty())
                    take_line(worker, worker.pending, start);
                worker.pending.clear();
                return;
            }
            worker.pending.append(chunk, static_cast<size_t>(n));
            size_t from = 0;
            for (size_t nl; (nl = worker.pending.find('\n', from)) != std::string::npos; from = nl + 1)
                take_line(worker, worker.pending.substr(from, nl - from), start);
            worker.pending.erase(0, from);
            return;
        }
    }

    volatile uint64_t* map_counter(const std::string& path)
    {
        int const fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            return nullptr;
        void* map = nullptr;
        if (::ftruncate(fd, sizeof(uint64_t)) == 0)
            map = ::mmap(nullptr, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        ::close(fd);
        return map == MAP_FAILED || map == nullptr ? nullptr : static_cast<volatile uint64_t*>(map);
    }

    std::string campaign_command_line(const DriverOptions& options, const std::string& workload, const std::string& dir)
    {
        std::vector<std::string> argv { "ferros", "campaign", "--workload", workload, "--policy", options.policy };
        if (options.bug != storage::SeededBug::None) {
            argv.push_back("--inject-bug");
            argv.push_back(storage::seeded_bug_name(options.bug));
        }
        if (!options.live)
            argv.push_back("--no-live");
        argv.push_back("--out");
        argv.push_back(dir);
        return qemu::shell_quote(argv);
    }

    // Minimises a crash artefact and writes its finding directory. Nothing if the artefact
    // shows no violation of `key` (it was found under other settings, or the file is gone).
    std::optional<FindingReport> write_finding(
        CrashExecutor& executor, const DriverOptions& options, const std::string& artefact, const std::string& key)
    {
        auto bytes = qemu::read_file(artefact, "crash artefact");
        if (bytes.is_error())
            return std::nullopt;
        auto program = decode(ReadonlyBytes(bytes.value().data(), bytes.value().size()));
        auto signature = parse_signature(key);
        if (program.is_error() || !signature)
            return std::nullopt;
        auto minimized = minimize(executor, program.value(), *signature, options.minimize_budget);
        if (!minimized.reproduced)
            return std::nullopt;

        FindingReport report;
        report.signature = key;
        report.dir = fs::absolute(options.out + "/findings/" + signature->file_name()).lexically_normal().string();
        report.workload = report.dir + "/workload.bin";
        report.ops = static_cast<uint32_t>(minimized.program.ops.size());
        report.original_ops = static_cast<uint32_t>(program.value().ops.size());
        auto const file = encode(minimized.program);
        auto const workload = abi::Workload::parse(ReadonlyBytes(file.data(), file.size())).release_value();
        report.description = describe(workload, minimized.violation);
        report.campaign_command = campaign_command_line(options, report.workload, report.dir + "/campaign");
        std::error_code ec;
        fs::create_directories(report.dir, ec);
        (void)qemu::write_file_atomically(report.workload, file);
        (void)qemu::write_file_atomically(report.dir + "/original.bin", bytes.value());
        (void)write_text(report.dir + "/workload.txt", workload::to_text(workload));
        return report;
    }

    std::string finding_text(const DriverOptions& options, const FindingReport& f)
    {
        std::string text = fmt::format("signature   {}\nfound       {}\nworkload    {} ({} ops; {} as found)\n",
            f.signature, f.description, f.workload, f.ops, f.original_ops);
        text += fmt::format("settings    policy {}, seeded bug {}, {} KiB SSD (the campaign's)\n", options.policy,
            storage::seeded_bug_name(options.bug), 64);
        text += fmt::format("in QEMU     {}\n", f.campaign_command);
        if (!f.guest_checked)
            text += fmt::format("            (not run{})\n", f.guest_error.empty() ? "" : ": " + f.guest_error);
        else if (f.reproduced_in_guest)
            text += fmt::format("            found {} in the guest\ntoken       {}\nrepro       {}\n",
                f.guest_invariants, f.token, f.repro_command);
        else
            text += fmt::format(
                "            found nothing in the guest{}\n", f.guest_error.empty() ? "" : " (" + f.guest_error + ")");
        return text;
    }

    nlohmann::json finding_json(const FindingReport& f)
    {
        return { { "signature", f.signature }, { "invariant", f.signature.substr(0, f.signature.find(':')) },
            { "dir", f.dir }, { "workload", f.workload }, { "ops", f.ops }, { "original_ops", f.original_ops },
            { "found_after_s", f.found_after }, { "description", f.description },
            { "campaign_command", f.campaign_command }, { "guest_checked", f.guest_checked },
            { "reproduced_in_guest", f.reproduced_in_guest }, { "guest_invariants", f.guest_invariants },
            { "token", f.token }, { "repro_command", f.repro_command }, { "guest_error", f.guest_error } };
    }

    // Runs the finding's campaign in QEMU: the command it prints, with --json to read it.
    void confirm_in_guest(const DriverOptions& options, FindingReport& f)
    {
        std::error_code ec;
        fs::remove_all(f.dir + "/campaign", ec);
        std::vector<std::string> argv { options.ferros, "campaign", "--workload", f.workload, "--policy",
            options.policy };
        if (options.bug != storage::SeededBug::None) {
            argv.push_back("--inject-bug");
            argv.push_back(storage::seeded_bug_name(options.bug));
        }
        if (!options.live)
            argv.push_back("--no-live");
        argv.insert(argv.end(), { "--out", f.dir + "/campaign", "--json" });
        std::string last;
        qemu::ProcessOptions process;
        process.timeout_seconds = 1800;
        process.on_line = [&](const std::string& line) {
            if (!line.empty())
                last = line;
        };
        auto const result = qemu::run_process(argv, process);
        f.guest_checked = true;
        if (!result.exited || (result.exit_status != 0 && result.exit_status != 1)) {
            f.guest_checked = false;
            auto const err = result.stderr_text;
            auto const at = err.rfind("ferros: error: ");
            f.guest_error = at != std::string::npos ? err.substr(at + 15, err.find('\n', at) - at - 15)
                                                    : fmt::format("the campaign exited {}", result.exit_status);
            return;
        }
        auto j = nlohmann::json::parse(last, nullptr, false);
        if (j.is_discarded() || !j.contains("violation_list")) {
            f.guest_error = "the campaign printed no JSON summary";
            return;
        }
        std::set<std::string> invariants;
        std::string const wanted = f.signature.substr(0, f.signature.find(':'));
        std::string token, first;
        for (auto const& v : j["violation_list"]) {
            auto const invariant = v.value("invariant", "");
            invariants.insert(invariant);
            if (first.empty())
                first = v.value("token", "");
            if (token.empty() && invariant == wanted)
                token = v.value("token", "");
        }
        for (auto const& invariant : invariants)
            f.guest_invariants += (f.guest_invariants.empty() ? "" : ",") + invariant;
        f.reproduced_in_guest = !invariants.empty();
        f.token = token.empty() ? first : token;
        if (f.reproduced_in_guest)
            f.repro_command = qemu::shell_quote({ "ferros", "repro", f.token, "--workload", f.workload });
    }

    void write_finding_files(const DriverOptions& options, const FindingReport& f)
    {
        (void)write_text(f.dir + "/finding.txt", finding_text(options, f));
        (void)write_text(f.dir + "/finding.json", finding_json(f).dump(2) + "\n");
    }

} // namespace

Result<DriverSummary> run_fuzzing(const DriverOptions& options,
    const std::function<void(const ProgressSample&)>& progress, const std::atomic<bool>& stop)
{
    auto const start = Clock::now();
    std::error_code ec;
    for (auto const& dir : { options.out, options.out + "/crashes", options.out + "/findings", options.out + "/logs",
             options.out + "/seeds", corpus_dir(options) }) {
        fs::create_directories(dir, ec);
        if (ec)
            return Failure(ErrorCode::InvalidArgument, fmt::format("cannot create '{}': {}", dir, ec.message()));
    }
    TRY(claim_directory(options));
    for (auto const& seed : profile_seeds())
        TRY(qemu::write_file_atomically(options.out + "/seeds/" + seed.name, seed.bytes));
    if (::access(options.fuzzer.c_str(), X_OK) != 0)
        return Failure(ErrorCode::Unavailable, fmt::format("no fuzzer at '{}'", options.fuzzer));

    ExecutorOptions executor_options;
    auto policy = crash::Policy::parse(options.policy);
    if (policy.is_error())
        return Failure(ErrorCode::InvalidArgument,
            fmt::format("bad policy '{}': {}", options.policy, describe_error(policy.error())));
    executor_options.policy = policy.value();
    executor_options.bug = options.bug;
    executor_options.max_cuts = options.max_cuts;
    executor_options.live = options.live;
    auto executor = TRY(CrashExecutor::create(executor_options));

    auto const known_path = options.out + "/known.txt";
    DriverSummary summary;
    summary.jobs = options.jobs;
    summary.known = read_known(known_path);
    std::set<std::string> known(summary.known.begin(), summary.known.end());
    std::vector<std::string> env { "FERROS_FUZZ_POLICY=" + options.policy,
        std::string("FERROS_FUZZ_BUG=") + storage::seeded_bug_name(options.bug),
        fmt::format("FERROS_FUZZ_MAX_CUTS={}", options.max_cuts),
        fmt::format("FERROS_FUZZ_LIVE={}", options.live ? 1 : 0),
        "FERROS_FUZZ_KNOWN=" + fs::absolute(known_path).string() };

    std::vector<Worker> workers(std::max(1u, options.jobs));
    for (unsigned i = 0; i < workers.size(); ++i) {
        auto& worker = workers[i];
        worker.index = i;
        worker.log.open(fmt::format("{}/logs/worker-{}.log", options.out, i), std::ios::app);
        worker.counter = map_counter(fmt::format("{}/logs/worker-{}.count", options.out, i));
        TRY(start_worker(worker, options, env, options.seconds));
    }

    auto executions = [&] {
        uint64_t total = 0;
        for (auto const& worker : workers)
            total += worker.counter ? *worker.counter : 0;
        return total;
    };
    auto sample_time = Clock::now();
    uint64_t sample_executions = 0;
    auto make_sample = [&] {
        ProgressSample sample;
        sample.elapsed = since(start);
        sample.executions = executions();
        double const interval = std::chrono::duration<double>(Clock::now() - sample_time).count();
        sample.exec_per_s = interval > 0 ? static_cast<double>(sample.executions - sample_executions) / interval : 0.0;
        sample_time = Clock::now();
        sample_executions = sample.executions;
        for (auto const& worker : workers) {
            sample.coverage = std::max(sample.coverage, worker.coverage);
            sample.features = std::max(sample.features, worker.features);
        }
        sample.corpus = count_files(corpus_dir(options));
        sample.findings = summary.findings.size();
        return sample;
    };

    auto next_progress = Clock::now() + std::chrono::seconds(1);
    bool stopping = false;
    auto running
        = [&] { return std::any_of(workers.begin(), workers.end(), [](const Worker& w) { return w.pid > 0; }); };
    while (running()) {
        if ((stop.load() || (options.max_findings > 0 && summary.findings.size() >= options.max_findings))
            && !stopping) {
            stopping = true;
            summary.interrupted = stop.load();
            for (auto& worker : workers)
                if (worker.pid > 0)
                    ::kill(worker.pid, SIGINT); // libFuzzer stops and prints its stats
        }
        std::vector<pollfd> fds;
        for (auto& worker : workers)
            if (worker.fd >= 0)
                fds.push_back({ worker.fd, POLLIN, 0 });
        if (!fds.empty())
            ::poll(fds.data(), fds.size(), 200);
        else
            ::usleep(100 * 1000);
        for (auto& worker : workers) {
            if (worker.fd >= 0) {
                pollfd one { worker.fd, POLLIN, 0 };
                if (::poll(&one, 1, 0) > 0)
                    drain(worker, start);
            }
            if (worker.pid <= 0 || worker.fd >= 0)
                continue;
            int status = 0;
            if (::waitpid(worker.pid, &status, 0) != worker.pid)
                continue;
            worker.pid = -1;
            // A finding: minimise it, write it, and let every worker know its signature.
            if (worker.finding && worker.artefact && !known.count(*worker.finding)) {
                if (!summary.first_finding)
                    summary.first_finding = worker.found_at;
                known.insert(*worker.finding);
                {
                    std::ofstream out(known_path, std::ios::app);
                    out << *worker.finding << '\n';
                }
                if (auto report = write_finding(*executor, options, *worker.artefact, *worker.finding)) {
                    report->found_after = worker.found_at.value_or(since(start));
                    write_finding_files(options, *report);
                    summary.findings.push_back(std::move(*report));
                }
            } else if (!worker.other.empty()) {
                summary.other_artefacts.push_back(worker.other + (worker.artefact ? ": " + *worker.artefact : ""));
            }
            double const left = options.seconds - since(start);
            bool const again = !stopping && left >= 1.0 && (worker.finding || !worker.other.empty())
                && !(options.max_findings > 0 && summary.findings.size() >= options.max_findings);
            if (again) {
                summary.restarts++;
                TRY(start_worker(worker, options, env, left));
            }
        }
        if (Clock::now() >= next_progress) {
            progress(make_sample());
            next_progress = Clock::now() + std::chrono::seconds(1);
        }
    }
    auto const last = make_sample();
    summary.seconds = last.elapsed;
    summary.executions = last.executions;
    summary.coverage = last.coverage;
    summary.features = last.features;
    summary.corpus = last.corpus;

    if (options.guest && !summary.interrupted) {
        for (auto& finding : summary.findings) {
            if (stop.load())
                break;
            if (options.note)
                options.note(fmt::format(
                    "running the campaign of finding {} in QEMU: {}", finding.signature, finding.campaign_command));
            confirm_in_guest(options, finding);
            write_finding_files(options, finding);
        }
    }
    return summary;
}

Result<MergeSummary> merge_corpus(const DriverOptions& options)
{
    auto const corpus = corpus_dir(options);
    if (!fs::is_directory(corpus))
        return Failure(ErrorCode::NotFound, fmt::format("no corpus at '{}'", corpus));
    MergeSummary summary;
    summary.before = count_files(corpus);
    auto const merged = corpus + ".merge";
    std::error_code ec;
    fs::remove_all(merged, ec);
    fs::create_directories(merged, ec);
    fs::create_directories(options.out + "/crashes", ec);
    std::vector<std::string> argv { "env", "FERROS_FUZZ_POLICY=" + options.policy,
        std::string("FERROS_FUZZ_BUG=") + storage::seeded_bug_name(options.bug),
        fmt::format("FERROS_FUZZ_MAX_CUTS={}", options.max_cuts),
        fmt::format("FERROS_FUZZ_LIVE={}", options.live ? 1 : 0),
        "FERROS_FUZZ_KNOWN=" + fs::absolute(options.out + "/known.txt").string(), options.fuzzer, "-merge=1",
        fmt::format("-max_len={}", options.max_len), "-timeout=30", "-rss_limit_mb=2048",
        "-artifact_prefix=" + options.out + "/crashes/", merged, corpus };
    qemu::ProcessOptions process;
    auto const result = qemu::run_process(argv, process);
    std::istringstream lines(result.stderr_text);
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("MERGE-OUTER:", 0) == 0)
            summary.log += line + "\n";
    if (!result.exited || result.exit_status != 0)
        return Failure(ErrorCode::Io,
            fmt::format("libFuzzer's merge failed ({}): {}", result.exit_status,
                result.stderr_text.substr(result.stderr_text.size() > 400 ? result.stderr_text.size() - 400 : 0)));
    // Swap the directories: the merged one becomes the corpus.
    auto const old = corpus + ".old";
    fs::remove_all(old, ec);
    fs::rename(corpus, old, ec);
    if (ec)
        return Failure(ErrorCode::Io, fmt::format("cannot move '{}' aside: {}", corpus, ec.message()));
    fs::rename(merged, corpus, ec);
    if (ec)
        return Failure(ErrorCode::Io, fmt::format("cannot move '{}' into place: {}", merged, ec.message()));
    fs::remove_all(old, ec);
    summary.after = count_files(corpus);
    return summary;
}

std::string summary_json(const DriverOptions& options, const DriverSummary& summary)
{
    nlohmann::json findings = nlohmann::json::array();
    for (auto const& f : summary.findings)
        findings.push_back(finding_json(f));
    nlohmann::json j = { { "seconds", summary.seconds }, { "jobs", summary.jobs }, { "policy", options.policy },
        { "bug", storage::seeded_bug_name(options.bug) }, { "seed", options.seed }, { "max_cuts", options.max_cuts },
        { "live", options.live }, { "executions", summary.executions },
        { "exec_per_s", summary.seconds > 0 ? static_cast<double>(summary.executions) / summary.seconds : 0.0 },
        { "coverage", summary.coverage }, { "features", summary.features }, { "corpus", summary.corpus },
        { "findings", findings }, { "known", summary.known }, { "other_artefacts", summary.other_artefacts },
        { "restarts", summary.restarts }, { "interrupted", summary.interrupted } };
    j["first_finding_s"] = summary.first_finding ? nlohmann::json(*summary.first_finding) : nlohmann::json(nullptr);
    j["out"] = options.out;
    return j.dump();
}

} // namespace ferros::fuzz
