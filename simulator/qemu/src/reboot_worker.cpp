#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <ferros/abi/machine.h>
#include <ferros/plugin/events_file.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/process.h>
#include <ferros/qemu/reboot_worker.h>
#include <ferros/qemu/worker_firmware.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ferros::qemu {

namespace {

    using Clock = std::chrono::steady_clock;

    // QEMU answers QMP within milliseconds; this bounds a QEMU that stopped answering.
    constexpr double kQmpTimeoutSeconds = 10;

    // How often a check reads the console, and how much the pipe holds in between: a guest
    // that printed faster than 1 MiB per 20 ms would block on it, far beyond TCG's speed.
    constexpr int kConsoleDrainMs = 20;
    constexpr int kConsolePipeBytes = 1 << 20;

    template<typename TimePoint>
    double seconds_until(TimePoint deadline)
    {
        return std::chrono::duration<double>(deadline - Clock::now()).count();
    }

    // Moves every complete line of `buffer` (without its newline) into `lines`.
    void take_lines(std::string& buffer, std::vector<std::string>& lines)
    {
        size_t pos;
        while ((pos = buffer.find('\n')) != std::string::npos) {
            std::string line = buffer.substr(0, pos);
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            buffer.erase(0, pos + 1);
            lines.push_back(std::move(line));
        }
    }

    // Appends what `fd` has now; false at end of file or on an error other than "no data".
    bool read_available(int fd, std::string& buffer)
    {
        char chunk[4096];
        while (true) {
            ssize_t n = ::read(fd, chunk, sizeof chunk);
            if (n > 0) {
                buffer.append(chunk, static_cast<size_t>(n));
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        }
    }

    bool is_guest_error(const std::string& line)
    {
        return line.rfind("ferros: panic:", 0) == 0 || line.rfind("ferros: error:", 0) == 0;
    }

} // namespace

RebootWorker::RebootWorker(const WorkerOptions& options, ScratchDir scratch)
    : m_options(options)
    , m_scratch(std::move(scratch))
{
}

RebootWorker::~RebootWorker()
{
    kill_qemu();
    if (m_ram)
        ::munmap(m_ram, m_ram_size);
    if (m_ram_fd >= 0)
        ::close(m_ram_fd);
}

Result<std::unique_ptr<RebootWorker>> RebootWorker::start(const WorkerOptions& options)
{
    if (!options.machine.plugin)
        return Failure(ErrorCode::InvalidArgument, "a reboot worker needs the plugin: it reports the verdicts");
    auto scratch = TRY(ScratchDir::create());
    std::unique_ptr<RebootWorker> worker(new RebootWorker(options, std::move(scratch)));
    auto& w = *worker;
    w.m_ram_size = options.machine.ram_bytes;
    w.m_kernel = TRY(load_kernel_image(options.machine.kernel, w.m_ram_size));
    auto handoff = TRY(w.capture_handoff());
    w.m_entry_boundary = handoff.entry_boundary;
    TRY(w.prepare_firmware(handoff));
    // Guest RAM in an anonymous memory file, not a file in /tmp: on a disk file system the
    // pages the guest dirties are written back to disk (measured: a fifth of a check's CPU
    // time went to page-cache work). QEMU opens it through the descriptor it inherits.
    int fd = ::memfd_create("ferros-worker-ram", MFD_CLOEXEC);
    if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(w.m_ram_size)) != 0) {
        if (fd >= 0)
            ::close(fd);
        return Failure(
            ErrorCode::Unavailable, fmt::format("cannot create the worker's RAM file: {}", std::strerror(errno)));
    }
    w.m_ram_fd = fd;
    w.m_ram_path = fmt::format("/proc/self/fd/{}", fd);
    void* ram = ::mmap(nullptr, w.m_ram_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ram == MAP_FAILED)
        return Failure(
            ErrorCode::Unavailable, fmt::format("cannot map the worker's RAM file: {}", std::strerror(errno)));
    w.m_ram = static_cast<uint8_t*>(ram);
    if (::mkfifo(w.m_scratch.file("events").c_str(), 0600) != 0)
        return Failure(
            ErrorCode::Unavailable, fmt::format("cannot create the worker's events FIFO: {}", std::strerror(errno)));
    TRY(w.launch());
    return worker;
}

Result<plugin::Handoff> RebootWorker::capture_handoff()
{
    // The machine a fresh reboot boots, on a blank window (the run ends before the kernel's
    // first instruction, so the window's contents do not matter; its presence does, for the
    // command line).
    machine::Machine m = m_options.machine;
    auto const blank = m_scratch.file("capture.img");
    TRY(write_file_atomically(blank, std::vector<uint8_t>(m.ssd.size, 0)));
    m.ssd_image = blank;
    m.workload.reset();
    m.gdb_port.reset();
    m.worker.reset();
    auto& plugin = *m.plugin;
    plugin = machine::PluginConfig { plugin.path };
    plugin.handoff_at = m_kernel.entry;
    plugin.handoff_out = m_scratch.file("handoff.txt");
    ProcessOptions options;
    options.timeout_seconds = m_options.timeout_seconds;
    options.on_line = [](const std::string&) {};
    auto run = run_process(machine::qemu_argv(m), options);
    if (run.interrupted)
        return Failure(ErrorCode::Interrupted, "interrupted during the reboot worker's capture run");
    if (!run.exited || run.exit_status != abi::kPluginExitHandoff) {
        auto text = run.stderr_text;
        while (!text.empty() && text.back() == '\n')
            text.pop_back();
        return Failure(ErrorCode::Unavailable,
            fmt::format("reboot worker: the capture run did not reach the kernel's entry {:#x}: {}", m_kernel.entry,
                !run.error.empty() ? run.error
                    : text.empty() ? "QEMU said nothing"
                                   : text));
    }
    auto bytes = TRY(read_file(*plugin.handoff_out, "captured hand-off"));
    return plugin::parse_handoff(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Result<void> RebootWorker::prepare_firmware(const plugin::Handoff& handoff)
{
    auto firmware = TRY(make_worker_firmware(handoff, m_kernel.entry));
    // The host writes these ranges before every state; none may overlap another or the window,
    // or the order of the writes would matter.
    struct Range {
        uint64_t begin, end;
        const char* what;
    };
    std::vector<Range> ranges;
    for (auto const& segment : m_kernel.segments)
        ranges.push_back({ segment.address, segment.address + segment.memory_size, "a kernel segment" });
    for (auto const& region : firmware.ram_regions)
        ranges.push_back({ region.address, region.address + region.bytes.size(), "a hand-off region" });
    auto const& window = m_options.machine.ssd;
    ranges.push_back({ window.base, window.base + window.size, "the SSD window" });
    for (size_t i = 0; i < ranges.size(); ++i) {
        if (ranges[i].end < ranges[i].begin || ranges[i].end > m_ram_size)
            return Failure(ErrorCode::OutOfRange,
                fmt::format("reboot worker: {} [{:#x}, {:#x}) is not inside guest RAM", ranges[i].what, ranges[i].begin,
                    ranges[i].end));
        for (size_t j = 0; j < i; ++j) {
            if (ranges[i].begin < ranges[j].end && ranges[j].begin < ranges[i].end)
                return Failure(ErrorCode::OutOfRange,
                    fmt::format("reboot worker: {} [{:#x}, {:#x}) overlaps {} [{:#x}, {:#x})", ranges[i].what,
                        ranges[i].begin, ranges[i].end, ranges[j].what, ranges[j].begin, ranges[j].end));
        }
    }
    m_ram_regions = std::move(firmware.ram_regions);
    m_firmware_path = m_scratch.file("firmware.rom");
    return write_file_atomically(m_firmware_path, firmware.image);
}

void RebootWorker::zero_ram(uint64_t begin, uint64_t end)
{
    // Whole pages are punched out of the memory file instead of written: the kernel's .bss is
    // 5 MiB (its page pool), of which a check touches a few pages, and a memset of all of it
    // was half of the host's time per check. A punched page reads as zero, and QEMU faults it
    // in only if the guest touches it.
    uint64_t const page = 4096;
    uint64_t const hole_begin = (begin + page - 1) / page * page, hole_end = end / page * page;
    if (hole_end > hole_begin
        && ::fallocate(m_ram_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(hole_begin),
               static_cast<off_t>(hole_end - hole_begin))
            == 0) {
        std::memset(m_ram + begin, 0, hole_begin - begin);
        std::memset(m_ram + hole_end, 0, end - hole_end);
        return;
    }
    std::memset(m_ram + begin, 0, end - begin);
}

void RebootWorker::place_kernel()
{
    for (auto const& segment : m_kernel.segments) {
        std::memcpy(m_ram + segment.address, segment.bytes.data(), segment.bytes.size());
        zero_ram(segment.address + segment.bytes.size(), segment.address + segment.memory_size);
    }
    for (auto const& region : m_ram_regions)
        std::memcpy(m_ram + region.address, region.bytes.data(), region.bytes.size());
}

bool RebootWorker::kernel_code_intact() const
{
    for (auto const& segment : m_kernel.segments) {
        if (segment.executable && std::memcmp(m_ram + segment.address, segment.bytes.data(), segment.bytes.size()) != 0)
            return false;
    }
    return true;
}

Result<void> RebootWorker::launch()
{
    auto const events_path = m_scratch.file("events");
    auto const qmp_path = m_scratch.file("qmp.sock");
    ::unlink(qmp_path.c_str());
    // The reading end first, without blocking: the plugin's open for writing then succeeds.
    m_events = ::open(events_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (m_events < 0)
        return Failure(ErrorCode::Unavailable, fmt::format("cannot open the events FIFO: {}", std::strerror(errno)));

    machine::Machine m = m_options.machine;
    m.ssd_image.reset();
    m.workload.reset();
    m.gdb_port.reset();
    m.worker = machine::WorkerMode { m_ram_path, qmp_path, m_firmware_path };
    auto& plugin = *m.plugin;
    plugin = machine::PluginConfig { plugin.path };
    plugin.events = events_path;
    plugin.entry_at = m_kernel.entry;
    plugin.entry_boundary = m_entry_boundary;
    if (m_options.trace) {
        plugin.trace = m_scratch.file("check.ftr");
        plugin.policy = m_options.machine.plugin->policy;
    }
    auto argv = machine::qemu_argv(m);

    int out_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0)
        return Failure(ErrorCode::Unavailable, fmt::format("pipe: {}", std::strerror(errno)));
    // Best effort: without it the default 64 KiB still holds several checks' console.
    (void)::fcntl(out_pipe[0], F_SETPIPE_SZ, kConsolePipeBytes);
    auto const stderr_path = m_scratch.file("qemu.stderr");
    std::vector<char*> cargv;
    for (auto const& a : argv)
        cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0)
        return Failure(ErrorCode::Unavailable, fmt::format("fork: {}", std::strerror(errno)));
    if (pid == 0) {
        // Its own process group: a Ctrl-C meant for the campaign must not kill the worker in
        // the middle of a state (the campaign stops between states). And it dies with us.
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        // The RAM file is the one descriptor QEMU inherits on purpose (its mem-path).
        ::fcntl(m_ram_fd, F_SETFD, 0);
        ::dup2(out_pipe[1], STDOUT_FILENO);
        int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (err >= 0)
            ::dup2(err, STDERR_FILENO);
        ::execvp(cargv[0], cargv.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    m_pid = pid;
    m_stdout = out_pipe[0];
    ::fcntl(m_stdout, F_SETFL, O_NONBLOCK);
    ++m_starts;
    m_stdout_buffer.clear();
    m_events_buffer.clear();
    m_qmp_buffer.clear();

    auto qemu_failed = [&](const std::string& what) {
        kill_qemu();
        std::ifstream in(stderr_path);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
            text.pop_back();
        return Failure(ErrorCode::Unavailable,
            fmt::format("reboot worker: {}: {}", what, text.empty() ? "QEMU said nothing" : text));
    };
    // QEMU creates the socket early in its start-up; wait for it, and for QEMU to stay alive.
    auto const deadline = Clock::now() + std::chrono::duration<double>(kQmpTimeoutSeconds);
    while (true) {
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return qemu_failed("QEMU exited during start-up");
        }
        m_qmp = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        std::snprintf(address.sun_path, sizeof address.sun_path, "%s", qmp_path.c_str());
        if (::connect(m_qmp, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0)
            break;
        ::close(m_qmp);
        m_qmp = -1;
        if (Clock::now() > deadline)
            return qemu_failed("QMP did not come up");
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    // The greeting, then capabilities negotiation: only then does QEMU take commands.
    auto greeting = qmp_read_line(kQmpTimeoutSeconds);
    if (greeting.is_error())
        return qemu_failed("no QMP greeting");
    if (qmp("qmp_capabilities").is_error())
        return qemu_failed("QMP refused capabilities negotiation");
    return {};
}

void RebootWorker::kill_qemu()
{
    if (m_pid > 0) {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    m_pid = -1;
    for (int* fd : { &m_stdout, &m_events, &m_qmp }) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
}

Result<std::string> RebootWorker::qmp_read_line(double timeout_seconds)
{
    auto const deadline = Clock::now() + std::chrono::duration<double>(timeout_seconds);
    while (true) {
        auto pos = m_qmp_buffer.find('\n');
        if (pos != std::string::npos) {
            auto line = m_qmp_buffer.substr(0, pos);
            m_qmp_buffer.erase(0, pos + 1);
            return line;
        }
        auto left = seconds_until(deadline);
        if (left <= 0)
            return Failure(ErrorCode::Unavailable, "QMP timed out");
        pollfd p { m_qmp, POLLIN, 0 };
        int ready = ::poll(&p, 1, static_cast<int>(left * 1000) + 1);
        if (ready < 0 && errno == EINTR)
            continue;
        char chunk[4096];
        ssize_t n = ready > 0 ? ::recv(m_qmp, chunk, sizeof chunk, 0) : -1;
        if (n <= 0 && ready > 0)
            return Failure(ErrorCode::Unavailable, "QMP connection closed");
        if (n > 0)
            m_qmp_buffer.append(chunk, static_cast<size_t>(n));
    }
}

void RebootWorker::take_qmp_event(const std::string& line)
{
    auto message = nlohmann::json::parse(line, nullptr, false);
    if (message.is_discarded() || !message.contains("event"))
        return;
    auto const& event = message["event"];
    // Our own system_reset is a RESET with guest=false; a triple fault (or a guest's reset
    // request) is guest=true: with -no-reboot a fresh QEMU would have shut down there.
    bool const by_guest = message.contains("data") && message["data"].value("guest", false);
    if ((event == "RESET" || event == "SHUTDOWN") && by_guest)
        m_guest_reset = true;
}

Result<void> RebootWorker::qmp(const std::string& command)
{
    auto request = fmt::format("{{\"execute\":\"{}\"}}\n", command);
    if (::send(m_qmp, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size()))
        return Failure(ErrorCode::Unavailable, "QMP connection lost");
    while (true) {
        auto line = TRY(qmp_read_line(kQmpTimeoutSeconds));
        auto message = nlohmann::json::parse(line, nullptr, false);
        if (message.is_discarded())
            return Failure(ErrorCode::Unavailable, "QMP sent something that is not JSON");
        if (message.contains("return"))
            return {};
        if (message.contains("error"))
            return Failure(ErrorCode::Unavailable, fmt::format("QMP {} failed: {}", command, line));
        take_qmp_event(line);
    }
}

Result<BootResult> RebootWorker::check(const std::vector<uint8_t>& image)
{
    if (m_options.trace)
        ::unlink(m_scratch.file("check.ftr").c_str());
    return run_check(image);
}

Result<BootResult> RebootWorker::check(const std::vector<uint8_t>& image, const std::string& trace_out)
{
    if (!m_options.trace)
        return Failure(ErrorCode::InvalidArgument, "this reboot worker was started without trace");
    auto const trace = m_scratch.file("check.ftr");
    ::unlink(trace.c_str());
    auto result = TRY(run_check(image));
    if (!result.process.exited)
        return result;
    // The plugin finished the trace before it wrote the exit line we waited for.
    std::error_code ec;
    std::filesystem::rename(trace, trace_out, ec);
    if (ec) {
        // Another file system: copy, then drop ours.
        std::filesystem::copy_file(trace, trace_out, std::filesystem::copy_options::overwrite_existing, ec);
        if (ec)
            return Failure(
                ErrorCode::Io, fmt::format("cannot move the check's trace to {}: {}", trace_out, ec.message()));
        ::unlink(trace.c_str());
    }
    return result;
}

Result<BootResult> RebootWorker::run_check(const std::vector<uint8_t>& image)
{
    auto const& window = m_options.machine.ssd;
    if (image.size() != window.size)
        return Failure(ErrorCode::InvalidArgument,
            fmt::format("a state of {} bytes does not fill the {}-byte window", image.size(), window.size));
    if (m_pid < 0)
        TRY(launch());

    BootResult result;
    result.process.started = true;
    auto died = [&] {
        kill_qemu();
        result.outcome = BootOutcome::QemuFailed;
        result.process.stderr_text = "the reboot worker's QEMU died";
        return result;
    };
    // Anything left over from the last state (the guest halted after its verdict) is stale.
    m_guest_reset = false;
    read_available(m_stdout, m_stdout_buffer);
    read_available(m_events, m_events_buffer);
    m_stdout_buffer.clear();
    m_events_buffer.clear();
    // The machine is paused (since start-up, or since the last verdict) while RAM changes, so
    // that no vCPU sees half a state.
    place_kernel();
    std::memcpy(m_ram + window.base, image.data(), image.size());
    if (qmp("system_reset").is_error() || qmp("cont").is_error())
        return died();

    struct StageBoundary {
        std::string name;
        uint64_t boundary;
    };
    std::vector<StageBoundary> stages;
    std::optional<uint8_t> exit_value;
    uint64_t exit_boundary = 0;
    auto const deadline = Clock::now() + std::chrono::duration<double>(m_options.timeout_seconds);
    while (!exit_value && !m_guest_reset) {
        auto left = seconds_until(deadline);
        if (left <= 0) {
            kill_qemu();
            result.outcome = BootOutcome::Timeout;
            result.process.timed_out = true;
            return result;
        }
        // The console is drained every kConsoleDrainMs, not on every byte: QEMU writes the
        // serial port a byte at a time, and waking for each cost a context switch per byte
        // (a fifth of a check's time in a perf profile). The pipe holds 1 MiB meanwhile. A
        // hang-up on it (QEMU died) still wakes us at once.
        pollfd fds[3] = { { m_stdout, 0, 0 }, { m_events, POLLIN, 0 }, { m_qmp, POLLIN, 0 } };
        int ready = ::poll(fds, 3, std::min(static_cast<int>(left * 1000) + 1, kConsoleDrainMs));
        if (ready < 0) {
            if (errno == EINTR && m_options.stop && m_options.stop->load())
                return Failure(ErrorCode::Interrupted, "interrupted during a reboot check");
            continue;
        }
        if (!read_available(m_stdout, m_stdout_buffer))
            return died();
        take_lines(m_stdout_buffer, result.console);
        if (fds[1].revents) {
            if (!read_available(m_events, m_events_buffer))
                return died();
            std::vector<std::string> lines;
            take_lines(m_events_buffer, lines);
            for (auto const& line : lines) {
                auto event = plugin::parse_event_line(line);
                if (event.is_error())
                    return Failure(ErrorCode::BadFormat, fmt::format("reboot worker: malformed event line '{}'", line));
                auto const& e = event.value();
                if (e.is_exit) {
                    exit_value = static_cast<uint8_t>(e.payload);
                    exit_boundary = e.boundary.value();
                    break;
                }
                if (!e.is_end && e.kind == abi::MarkerKind::Stage) {
                    if (auto const* text = abi::boot_stage_text(static_cast<abi::BootStage>(e.payload)))
                        stages.push_back({ text, e.boundary.value() });
                }
            }
        }
        if (fds[2].revents) {
            if (!read_available(m_qmp, m_qmp_buffer))
                return died();
            std::vector<std::string> lines;
            take_lines(m_qmp_buffer, lines);
            for (auto const& line : lines)
                take_qmp_event(line);
        }
    }
    // Paused until the next state: a guest that spins after its verdict costs no host CPU.
    if (qmp("stop").is_error())
        return died();
    // The console lines the guest printed before its verdict are in the pipe already: QEMU
    // writes serial output as the guest stores it, before the `out` that carried the verdict.
    read_available(m_stdout, m_stdout_buffer);
    take_lines(m_stdout_buffer, result.console);
    for (auto const& line : result.console) {
        result.timeline.take_console_line(line);
        if (!result.guest_error && is_guest_error(line))
            result.guest_error = line;
    }
    for (auto const& stage : stages)
        result.timeline.attach_boundary(stage.name, stage.boundary);
    if (!kernel_code_intact()) {
        // The guest wrote over the kernel's code: QEMU's translations of it would outlive the
        // host's restore, which QEMU does not see. A new QEMU starts with none.
        kill_qemu();
    }
    if (m_guest_reset) {
        // A fresh QEMU (-no-reboot) shuts down there: the same outcome, and a new machine.
        kill_qemu();
        result.outcome = BootOutcome::QemuFailed;
        result.process.stderr_text = "the guest reset the machine";
        return result;
    }
    result.timeline.set_end(exit_boundary);
    result.outcome = outcome_of_exit_value(*exit_value);
    result.process.exited = true;
    return result;
}

} // namespace ferros::qemu
