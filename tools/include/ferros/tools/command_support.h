#pragma once
// What several commands share at the command layer: the machine flags every booting command
// takes, and the reporter that shows the engine's progress on a terminal.

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ferros/campaign/reporter.h>
#include <ferros/qemu/machine_setup.h>

namespace CLI {
class App;
}

namespace ferros::tools {

enum class SsdRequired { No, Yes };

// --kernel, --ssd, --workload, --append, --timeout.
void add_machine_options(CLI::App& cmd, qemu::MachineOptions& options, SsdRequired ssd_required);

// Progress bars on stderr (ProgressBar); notes as `ferros: LINE` on `notes`.
class ConsoleReporter final : public campaign::Reporter {
public:
    explicit ConsoleReporter(FILE* notes = stderr)
        : m_notes(notes)
    {
    }
    std::unique_ptr<campaign::Progress> progress(const std::string& label) override;
    void note(const std::string& line) override;

private:
    FILE* m_notes;
};

// While it lives, SIGINT and SIGTERM set flag() instead of ending the command, so that a long
// job (a campaign, a fuzzing run) stops between two steps with its results kept and can be
// resumed; the handlers before it come back when it goes (on an error too).
class StopOnSignal {
public:
    StopOnSignal();
    ~StopOnSignal();
    StopOnSignal(const StopOnSignal&) = delete;
    StopOnSignal& operator=(const StopOnSignal&) = delete;
    const std::atomic<bool>& flag() const;

private:
    struct sigaction m_previous_int { };
    struct sigaction m_previous_term { };
};

} // namespace ferros::tools
