#pragma once
// One boot of the simulated phone: start QEMU on a machine, stream its console, collect the
// stage timeline, and say how the run ended. `run`, `trace`, `cut`, the campaign's reboot
// checker, the benchmarks and the tests all boot through here.

#include <ferros/base/failure.h>
#include <ferros/machine/machine.h>
#include <ferros/qemu/process.h>
#include <ferros/qemu/timeline.h>
#include <optional>
#include <string>
#include <vector>

namespace ferros::qemu {

enum class BootOutcome {
    Ready, // the kernel exited at `ready` (ferros.until=ready; until=live: after the continuation)
    Poweroff, // the kernel powered off after its workload
    Fault, // CPU exception or panic (a report is on the console)
    SelfCheckFailed, // the kernel's invariant self-check failed
    BadCommandLine, // the kernel refused its command line or start info
    LiveFailed, // ferros.until=live: recovery passed, the continuation after it failed (R14)
    Cut, // the plugin cut power at the requested boundary or marker
    MaxInsns, // the plugin's instruction limit ended the run
    Interrupted, // the user interrupted the run (a power cut too)
    Timeout, // the wall-clock watchdog killed a hung QEMU
    QemuFailed, // QEMU did not start or ended in a way the contract does not name
};

const char* boot_outcome_name(BootOutcome outcome);

// How a run ended when the guest asked to exit with `value` (abi::ExitValue); QemuFailed for
// a value the contract does not name. A fresh QEMU and a reboot worker decide by this alone.
BootOutcome outcome_of_exit_value(uint8_t value);

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
    double wall_ms { 0 }; // from starting QEMU to its exit
};

BootResult boot(const machine::Machine& machine, const BootOptions& options);

// Reads the plugin's events file and attaches stage boundaries to the timeline.
// Errors: NotFound (no file), BadFormat (a malformed line), with the file and line.
Result<void> attach_plugin_events(const std::string& events_path, Timeline& timeline);

// Instructions from kernel-entry to ready, when the plugin saw both stages.
std::optional<uint64_t> ready_instructions(const Timeline& timeline);

} // namespace ferros::qemu

namespace ferros::qemu {

enum class CutExpected { No, Yes };

// Succeeds when the run ended at ready or poweroff (or, with CutExpected::Yes, at the
// plugin's cut). Otherwise one sentence and the code a caller reacts to: Unavailable (QEMU
// would not start or ended outside the contract), NotReached (a cut, the instruction limit,
// the watchdog), GuestFault, SelfCheckFailed, InvalidArgument (the kernel refused its input),
// Interrupted.
Result<void> expect_clean(const BootResult& result, double timeout_seconds, CutExpected cut_expected = CutExpected::No);

} // namespace ferros::qemu
