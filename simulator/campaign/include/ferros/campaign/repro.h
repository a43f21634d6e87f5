#pragma once
// `ferros repro TOKEN`, the engine's part: rebuild exactly the crash state a token names (the
// same trace, the same boundary, the same state of the policy), cross-check it against a real
// cut, check it host-natively, and reboot Ferros on it. The command prints what it finds.

#include <cstdint>
#include <ferros/base/failure.h>
#include <ferros/campaign/plan.h>
#include <ferros/campaign/reporter.h>
#include <ferros/campaign/token.h>
#include <ferros/check/invariant.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/machine_setup.h>
#include <optional>
#include <string>
#include <vector>

namespace ferros::campaign {

struct ReproOptions {
    std::string workload; // the workload file, for tokens of file workloads
    std::string kernel; // default: the built kernel
    std::optional<uint16_t> gdb_port; // start the reboot paused, with QEMU's gdbstub
};

struct Repro {
    ReproToken token;
    Plan plan;
    std::vector<uint8_t> image; // the crash state (after the nested cut, for depth 2)
    std::optional<uint32_t> last_submitted; // the oracle at the first cut
    std::optional<uint32_t> last_durable;
    bool real_cut_agrees { false }; // a real cut at the boundary left the same image
    std::vector<check::Violation> host; // the host checker's verdict
    qemu::BootResult reboot; // the reboot on the state
    std::optional<check::Violation> reboot_violation; // reboot_verdict() of it
};

// Decodes nothing: `token` is already decoded. Errors: InvalidArgument (a file workload
// without --workload, a boundary or state that does not exist), Mismatch (another build's
// kernel or another workload), and those of tracing and rebooting.
Result<Repro> repro(
    const ReproToken& token, const ReproOptions& options, const qemu::ScratchDir& scratch, Reporter& reporter);

} // namespace ferros::campaign
