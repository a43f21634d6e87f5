#pragma once
// A reboot worker: one long-lived QEMU that checks crash state after crash state, so that a
// reboot check costs milliseconds instead of a QEMU start-up (80-100 ms here) each.
//
// Start-up: one ordinary boot through qboot (the capture run) stops at the kernel's first
// instruction and records what the firmware handed over: the PVH start info, the memory map
// and the command line (ferros/plugin/handoff.h). The worker's own QEMU then gets no -kernel
// and no qboot, but a 64 KiB firmware stub that jumps straight to the kernel's entry with that
// hand-off in place (worker_firmware.h).
//
// Per state: with the machine stopped, the host writes the kernel's ELF segments (and zeroed
// .bss), the hand-off's RAM regions and the state's image into guest RAM through its own
// mapping (the RAM is a shared memory file), then system_reset and cont over QMP, and waits
// for the guest's verdict. The verdict is the value the guest writes to the exit port, which
// the plugin reports as an `exit` event (a worker has no isa-debug-exit device, so QEMU runs
// on and the guest halts). Stage markers give the recovery's instruction count from
// kernel-entry, exactly as in a fresh QEMU.
//
// Why the kernel is not a QEMU ROM: a reset copies every ROM into RAM again, and QEMU drops the
// translated code of every page written; retranslating the kernel and qboot (about a thousand
// blocks) was most of a check's cost. The host's writes bypass QEMU, so they must leave every
// page QEMU has translated byte-identical: the kernel's code is compared after each state and
// a changed one (a guest that wrote over its own code) costs a new QEMU. Everything else the
// kernel runs or reads it wrote itself in this boot (a test compares every verdict and count
// with a fresh QEMU's on the same images).
//
// Boundaries are counted as a fresh QEMU counts them: the plugin restarts its count at each
// check's kernel entry from the boundary the capture run found there (the firmware's
// instructions before it), so events, stage boundaries and traces equal a fresh boot's.
//
// A hung guest (the watchdog) or a QEMU that died costs that one state's verdict (Timeout or
// QemuFailed, as a fresh QEMU would report them) and the worker starts a new QEMU for the next.

#include <atomic>
#include <cstdint>
#include <ferros/base/failure.h>
#include <ferros/machine/machine.h>
#include <ferros/plugin/handoff.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/kernel_image.h>
#include <ferros/qemu/machine_setup.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ferros::qemu {

struct WorkerOptions {
    // The machine every state boots: kernel, window size (ssd.size), kernel arguments, plugin
    // path. Its ssd_image, workload and worker fields are the worker's to set.
    machine::Machine machine;
    // Wall-clock watchdog per state: a guest that gives no verdict by then is a hang.
    double timeout_seconds { 60 };
    // Set by the caller's SIGINT handler; a check it interrupts fails with Interrupted.
    const std::atomic<bool>* stop { nullptr };
    // Trace every check (--depth 2): the plugin models the window and writes each check's
    // trace, byte for byte the one a fresh QEMU writes of the same boot; check() hands it over.
    bool trace { false };
};

class RebootWorker {
public:
    // Runs the capture boot, then starts the worker's QEMU paused. Errors: Unavailable (no
    // scratch space, the capture run failed, QEMU would not start or answer QMP),
    // InvalidArgument (a machine the description refuses), NotFound/BadFormat/OutOfRange (the
    // kernel ELF or the captured hand-off cannot be placed), Interrupted (SIGINT).
    static Result<std::unique_ptr<RebootWorker>> start(const WorkerOptions& options);
    ~RebootWorker();
    RebootWorker(const RebootWorker&) = delete;
    RebootWorker& operator=(const RebootWorker&) = delete;

    // Boots `image` (exactly the window's size) to the guest's verdict. The result reads like
    // boot()'s: outcome, timeline (console stages with their boundaries), console, guest_error.
    // A hang or a dead QEMU is an outcome (Timeout, QemuFailed), not an error; the worker then
    // starts a new QEMU before the next state. Errors: InvalidArgument (the image's size),
    // Unavailable (a new QEMU could not be started), Interrupted (SIGINT reached QEMU).
    Result<BootResult> check(const std::vector<uint8_t>& image);
    // The same, for a worker started with `trace`: when the guest gave its verdict, the
    // check's trace is moved to `trace_out` (nothing is written there after a hang or a dead
    // QEMU: no verdict, no complete trace). Errors: as above, and Io (the trace could not be
    // moved), InvalidArgument (a worker started without `trace`).
    Result<BootResult> check(const std::vector<uint8_t>& image, const std::string& trace_out);

    // QEMU processes started so far (1 + the replacements after hangs and deaths).
    uint64_t starts() const { return m_starts; }
    // The running QEMU's process id (tests kill it to show a death costs one verdict).
    int qemu_pid() const { return m_pid; }

private:
    explicit RebootWorker(const WorkerOptions& options, ScratchDir scratch);
    Result<plugin::Handoff> capture_handoff();
    Result<BootResult> run_check(const std::vector<uint8_t>& image);
    Result<void> prepare_firmware(const plugin::Handoff& handoff);
    Result<void> launch();
    void place_kernel();
    void zero_ram(uint64_t begin, uint64_t end);
    bool kernel_code_intact() const;
    void kill_qemu();
    Result<void> qmp(const std::string& command);
    Result<std::string> qmp_read_line(double timeout_seconds);
    void take_qmp_event(const std::string& line);

    WorkerOptions m_options;
    ScratchDir m_scratch;
    std::string m_ram_path;
    KernelImage m_kernel;
    std::string m_firmware_path;
    std::vector<plugin::HandoffRegion> m_ram_regions; // the hand-off outside the firmware image
    uint64_t m_entry_boundary { 0 }; // the kernel's entry in a fresh run (the capture run's)
    int m_pid { -1 };
    int m_stdout { -1 };
    int m_events { -1 };
    int m_qmp { -1 };
    int m_ram_fd { -1 };
    uint8_t* m_ram { nullptr };
    uint64_t m_ram_size { 0 };
    uint64_t m_starts { 0 };
    bool m_guest_reset { false }; // a RESET the guest asked for (a triple fault, say)
    std::string m_stdout_buffer;
    std::string m_events_buffer;
    std::string m_qmp_buffer;
};

} // namespace ferros::qemu
