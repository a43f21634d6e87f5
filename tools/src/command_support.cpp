#include <CLI/CLI.hpp>
#include <ferros/tools/command_support.h>
#include <ferros/tools/error.h>
#include <ferros/tools/progress.h>

namespace ferros::tools {

Exit exit_for(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Interrupted:
        return Exit::Interrupted;
    case ErrorCode::Unavailable:
        return Exit::Environment;
    case ErrorCode::GuestFault:
        return Exit::GuestFault;
    case ErrorCode::SelfCheckFailed:
        return Exit::SelfCheck;
    case ErrorCode::NotReached:
        return Exit::NotReached;
    case ErrorCode::InvalidArgument:
    case ErrorCode::NotFound:
    case ErrorCode::TooBig:
    case ErrorCode::OutOfRange:
    case ErrorCode::BadFormat:
    case ErrorCode::Unsupported:
    case ErrorCode::Truncated:
    case ErrorCode::Mismatch:
    case ErrorCode::NoMemory: // the arguments ask for more memory than the machine has
        return Exit::Usage;
    default:
        return Exit::Failed;
    }
}

void add_machine_options(CLI::App& cmd, qemu::MachineOptions& options, SsdRequired ssd_required)
{
    cmd.add_option("--kernel", options.kernel, "Kernel ELF (default: the built kernel)");
    auto* ssd = cmd.add_option("--ssd", options.ssd,
        ssd_required == SsdRequired::Yes
            ? "SSD image (a non-zero multiple of 4 KiB)"
            : "SSD image (a multiple of 4 KiB). Without it: a blank 256 KiB SSD, discarded afterwards");
    if (ssd_required == SsdRequired::Yes)
        ssd->required();
    cmd.add_option("--workload", options.workload, "Workload file, given to the kernel as its initrd");
    cmd.add_option("--append", options.append, "Extra kernel command-line token (repeatable)");
    cmd.add_option("--timeout", options.timeout, "Wall-clock watchdog in seconds against a hung QEMU");
}

namespace {

    class BarProgress final : public campaign::Progress {
    public:
        explicit BarProgress(const std::string& label)
            : m_bar(label)
        {
        }
        void update(uint64_t done, uint64_t total, const std::string& detail) override
        {
            m_bar.update(done, total, detail);
        }
        void finish(const std::string& detail) override { m_bar.finish(detail); }

    private:
        ProgressBar m_bar;
    };

} // namespace

std::unique_ptr<campaign::Progress> ConsoleReporter::progress(const std::string& label)
{
    return std::make_unique<BarProgress>(label);
}

void ConsoleReporter::note(const std::string& line)
{
    std::fprintf(m_notes, "ferros: %s\n", line.c_str());
    std::fflush(m_notes);
}

namespace {

    std::atomic<bool> s_stop_requested { false };
    void request_stop(int) { s_stop_requested = true; }

} // namespace

StopOnSignal::StopOnSignal()
{
    s_stop_requested = false;
    struct sigaction action { };
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &m_previous_int);
    ::sigaction(SIGTERM, &action, &m_previous_term);
}

StopOnSignal::~StopOnSignal()
{
    ::sigaction(SIGINT, &m_previous_int, nullptr);
    ::sigaction(SIGTERM, &m_previous_term, nullptr);
}

const std::atomic<bool>& StopOnSignal::flag() const { return s_stop_requested; }

} // namespace ferros::tools
