#pragma once
// One fault-injection run (docs/kernel.md, "Fault injection"; docs/cli.md, `ferros faults`):
// Ferros boots in QEMU on the campaign plan's workload and blank SSD with
// `ferros.inject=store,N,KIND[,ARG]`, runs to power-off, and the run gets a verdict: was the
// fault injected and did it take effect, did the kernel survive, did the supervisor restart
// the store server within its budget, and do R1-R6 hold on the durable image at power-off for
// the operations the client had acknowledged (the campaign's marker oracle and host checker),
// and was every get's answer right (get_answers.h).

#include <cstdint>
#include <ferros/base/failure.h>
#include <ferros/campaign/plan.h>
#include <ferros/check/invariant.h>
#include <optional>
#include <string>
#include <vector>

namespace ferros::faults {

// The numbers are the kernel's (kernel/process/injection.h, the FaultInjected marker).
enum class FaultKind : uint8_t { Kill = 0, Flip = 1, Corrupt = 2, Hang = 3 };
constexpr FaultKind kAllKinds[] = { FaultKind::Kill, FaultKind::Flip, FaultKind::Corrupt, FaultKind::Hang };
const char* fault_kind_name(FaultKind kind);
// Errors: InvalidArgument (not kill, flip, corrupt or hang).
ErrorOr<FaultKind> parse_fault_kind(const std::string& text);

struct InjectionPoint {
    uint64_t at { 0 }; // the store server's N-th user-mode instruction, 1..
    FaultKind kind { FaultKind::Kill };
    uint64_t arg { 0 }; // flip: register * 64 + bit; corrupt: offset above rsp * 8 + bit
    bool operator==(const InjectionPoint&) const = default;
};
// The point of kind `kind` at N = `at`, its ARG drawn from the campaign seed, N and the kind
// (base/rng.h), so that a point is named by (seed, N, kind) alone. corrupt picks a byte within
// 256 bytes above rsp: the frames the server is working in.
InjectionPoint injection_point(uint64_t seed, uint64_t at, FaultKind kind);
// The kernel command-line token.
std::string inject_token(const InjectionPoint& point);

struct InjectionVerdict {
    std::string outcome; // how the run ended (qemu::boot_outcome_name)
    bool fired { false }; // the kernel's FaultInjected marker
    bool activated { false }; // the fault changed the run (below)
    bool kernel_survived { false }; // power-off reached, no kernel fault or panic
    // False when the run hit its instruction limit (or the wall-clock watchdog): something
    // spins (a flipped bit can make the server loop in user mode, which the watchdog, a check
    // for processes blocked for good, does not see). Not a kernel crash, but not a pass.
    bool ended { true };
    uint64_t guest_instructions { 0 }; // the run's length, from the plugin's end line
    uint32_t restarts { 0 }; // ServerRestarted markers
    bool gave_up { false }; // ServerGaveUp marker
    bool server_crashed { false }; // a ProcessFault marker (a CPU exception or the watchdog)
    uint32_t failed_ops { 0 }; // OpFailed markers: calls that returned an error (ServerRestarted ...)
    uint32_t gets_answered { 0 }; // GetAnswered markers: gets that returned a value or NotFound
    // Gets whose answer no state the client's submitted operations allow holds (get_answers.h)
    uint32_t wrong_answers { 0 };
    uint64_t store_instructions { 0 }; // when the fault did not fire: the target's whole run
    std::vector<check::Invariant> violations; // R1-R6 on the durable image at power-off
    std::string message; // the first violation's message, or the guest's error line
    // The fingerprint of what a client could see: the op markers in order and the durable
    // image's hash. A fault is activated when the server crashed or restarted, or this differs
    // from the fault-free run's.
    uint64_t client_view { 0 };
    bool passed() const { return kernel_survived && !gave_up && violations.empty() && wrong_answers == 0; }
};

// Boots and judges one run; `point` nothing: the fault-free run with N beyond any run, whose
// verdict says how many instructions the store server retired (store_instructions).
// `baseline_view`: the fault-free run's client_view, for `activated`. Errors: those of the
// boot (Unavailable: no QEMU or plugin) and of the plugin's files (NotFound, BadFormat).
// `max_insns`: end the run after this many guest instructions (deterministic, unlike a wall-clock
// limit); `ferros faults` gives 4 times the fault-free run's.
Result<InjectionVerdict> run_injection(const campaign::Plan& plan, std::optional<InjectionPoint> point,
    uint64_t baseline_view, std::vector<std::string>* console = nullptr,
    std::optional<uint64_t> max_insns = std::nullopt);

// The N the fault-free run uses: beyond any store server's run here.
constexpr uint64_t kNeverFires = 1ull << 60;

} // namespace ferros::faults
