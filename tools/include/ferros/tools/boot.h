#pragma once
// One boot of the simulated phone: start QEMU on a machine, stream its console, collect the
// stage timeline, and say how the run ended. `run`, `trace`, `cut` and the reboot checker
// all boot through here.

#include <ferros/machine/machine.h>
#include <ferros/tools/process.h>
#include <ferros/tools/timeline.h>
#include <optional>
#include <string>
#include <vector>

namespace ferros::tools {

enum class BootOutcome {
    Ready, // the kernel exited at `ready` (ferros.until=ready)
    Poweroff, // the kernel powered off after its workload
    Fault, // CPU exception or panic (a report is on the console)
    SelfCheckFailed, // the kernel's invariant self-check failed
    BadCommandLine, // the kernel refused its command line or start info
    Cut, // the plugin cut power at the requested boundary or marker
    MaxInsns, // the plugin's instruction limit ended the run
    Interrupted, // the user interrupted the run (a power cut too)
    Timeout, // the wall-clock watchdog killed a hung QEMU
    QemuFailed, // QEMU did not start or ended in a way the contract does not name
};

const char* boot_outcome_name(BootOutcome outcome);

struct BootOptions {
    bool echo_console { true }; // print guest console lines as they arrive
    double timeout_seconds { 120 };
};

struct BootResult {
    BootOutcome outcome { BootOutcome::QemuFailed };
    ProcessResult process;
    Timeline timeline;
    std::vector<std::string> console;
    std::vector<std::string> argv;
    // The first `ferros: panic:` or `ferros: error:` line the guest printed, if any.
    std::optional<std::string> guest_error;
};

BootResult boot(const machine::Machine& machine, const BootOptions& options);

// Reads the plugin's events file and attaches stage boundaries to the timeline.
// Returns an error message if the file is malformed.
std::optional<std::string> attach_plugin_events(const std::string& events_path, Timeline& timeline);

} // namespace ferros::tools

namespace ferros::tools {

// Fails with the matching exit status unless the run ended at ready or poweroff (or, when
// `cut_expected`, at the plugin's cut). Faults, self-check failures, refusals, interrupts,
// hangs and QEMU failures each get their one line.
void fail_unless_clean(const BootResult& result, double timeout_seconds, bool cut_expected = false);

} // namespace ferros::tools
