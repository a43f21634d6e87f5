#pragma once
// The phases of a campaign, in order; each resumes from what the results database holds.

#include <atomic>
#include <ferros/base/failure.h>
#include <ferros/campaign/plan.h>
#include <ferros/campaign/reporter.h>
#include <ferros/campaign/results_db.h>
#include <ferros/machine/machine.h>
#include <ferros/qemu/machine_setup.h>
#include <ferros/reconstruct/reconstructor.h>

namespace ferros::campaign {

// Traces the run (or reuses a trace already in the output directory that matches the plan).
// Returns the trace's path. Errors: Unavailable (no plugin or QEMU), and those of the run
// (expect_clean in ferros/qemu/boot.h).
Result<std::string> trace_phase(const Plan& plan, Reporter& reporter);

// Walks every boundary and checks every distinct state host-natively. Errors: Interrupted
// (`stop` became true; every batch so far is saved), Io (the database), and the trace's.
Result<WalkProgress> walk_phase(
    const Plan& plan, const std::string& trace_path, ResultsDb& db, Reporter& reporter, const std::atomic<bool>& stop);

// Records each of this shard's boundary classes in the results database for the shutdown
// report (LossClassRow: what a cut there can lose, the invariants its states broke), from a
// pass over the trace and the verdicts of the walk, which must have finished. Errors as
// walk_phase.
Result<void> loss_phase(
    const Plan& plan, const std::string& trace_path, ResultsDb& db, Reporter& reporter, const std::atomic<bool>& stop);

// Boots QEMU on the states --reboot selects (R9, and host/reboot agreement); with --depth 2,
// traces each one's recovery and walks it (R8). Errors as walk_phase, and Unavailable.
Result<void> reboot_phase(
    const Plan& plan, const std::string& trace_path, ResultsDb& db, Reporter& reporter, const std::atomic<bool>& stop);

// Opens a trace for reconstruction from `initial`. Errors: those of the trace, with its path.
Result<reconstruct::Reconstructor> open_reconstructor(const std::string& trace_path, std::vector<uint8_t> initial);

// Where a reboot on a crash state ends: at `ready` (`ferros.until=ready`: R1, R2, R9), or past
// it once the store ran the continuation after recovery (`ferros.until=live`: R14 too).
enum class RebootEnd { Ready, Live };
// Live unless the campaign leaves R14 out (--no-live) or asks for --reboot-until ready.
RebootEnd reboot_end(const Plan& plan);

// The machine that reboots Ferros on a crash state (the campaign's policy and seeded bug), with
// the plugin writing its events into `scratch`.
Result<machine::Machine> reboot_machine(
    const Plan& plan, const std::string& image_path, const qemu::ScratchDir& scratch, RebootEnd end);

} // namespace ferros::campaign
