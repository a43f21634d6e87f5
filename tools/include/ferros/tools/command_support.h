#pragma once
// What several commands share at the command layer: the machine flags every booting command
// takes, and the reporter that shows the engine's progress on a terminal.

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

} // namespace ferros::tools
