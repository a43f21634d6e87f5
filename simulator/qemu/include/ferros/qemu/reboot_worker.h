#pragma once
// A reboot worker: one long-lived QEMU that checks crash state after crash state, so that a
// reboot check costs milliseconds instead of a QEMU start-up (80-100 ms here) each.
//
// Per state: stop the machine over QMP, write the state's image into the SSD window through
// the host's mapping of guest RAM (a shared memory-backend-file), system_reset, cont, and wait
// for the guest's verdict. The verdict is the value the guest writes to the exit port, which
// the plugin reports as an `exit` event (a worker has no isa-debug-exit device, so QEMU runs
// on and the guest halts). Stage markers give the recovery's instruction count, exactly as in
// a fresh QEMU. A reset restores every ROM blob (firmware, kernel) as at power-on; nothing but
// the window is carried over, and the kernel reads no RAM it has not written (a test compares
// every verdict and count with a fresh QEMU's on the same images).
//
// A hung guest (the watchdog) or a QEMU that died costs that one state's verdict (Timeout or
// QemuFailed, as a fresh QEMU would report them) and the worker starts a new QEMU for the next.

#include <atomic>
#include <cstdint>
#include <ferros/base/failure.h>
#include <ferros/machine/machine.h>
#include <ferros/qemu/boot.h>
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
};

class RebootWorker {
public:
    // Starts QEMU paused. Errors: Unavailable (no scratch space, QEMU would not start or answer
    // QMP), InvalidArgument (a machine the description refuses).
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

    // QEMU processes started so far (1 + the replacements after hangs and deaths).
    uint64_t starts() const { return m_starts; }
    // The running QEMU's process id (tests kill it to show a death costs one verdict).
    int qemu_pid() const { return m_pid; }

private:
    explicit RebootWorker(const WorkerOptions& options, ScratchDir scratch);
    Result<void> launch();
    void kill_qemu();
    Result<void> qmp(const std::string& command);
    Result<std::string> qmp_read_line(double timeout_seconds);
    void take_qmp_event(const std::string& line);

    WorkerOptions m_options;
    ScratchDir m_scratch;
    std::string m_ram_path;
    int m_pid { -1 };
    int m_stdout { -1 };
    int m_events { -1 };
    int m_qmp { -1 };
    uint8_t* m_ram { nullptr };
    uint64_t m_ram_size { 0 };
    uint64_t m_starts { 0 };
    bool m_guest_reset { false }; // a RESET the guest asked for (a triple fault, say)
    std::string m_stdout_buffer;
    std::string m_events_buffer;
    std::string m_qmp_buffer;
};

} // namespace ferros::qemu
