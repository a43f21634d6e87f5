#pragma once
// The phases of a campaign, in order; each resumes from what the results database holds.

#include "plan.h"
#include <atomic>
#include <ferros/campaign/results_db.h>

namespace ferros::tools::campaign {

// Traces the run (or reuses a trace already in the output directory that matches the plan).
// Returns the trace's path.
std::string trace_phase(const Plan& plan);

// Walks every boundary and checks every distinct state host-natively.
ferros::campaign::WalkProgress walk_phase(
    const Plan& plan, const std::string& trace_path, ferros::campaign::ResultsDb& db, const std::atomic<bool>& stop);

// Boots QEMU on the states --reboot selects (R9, and host/reboot agreement); with --depth 2,
// traces each one's recovery and walks it (R8).
void reboot_phase(
    const Plan& plan, const std::string& trace_path, ferros::campaign::ResultsDb& db, const std::atomic<bool>& stop);

} // namespace ferros::tools::campaign

#include <ferros/reconstruct/reconstructor.h>
#include <ferros/tools/machine_options.h>

namespace ferros::tools::campaign {

// Opens a trace for reconstruction from `initial`; a bad trace fails with Exit::Failed.
reconstruct::Reconstructor open_reconstructor(const std::string& trace_path, std::vector<uint8_t> initial);

// The machine that reboots Ferros on a crash state (`ferros.until=ready`, the campaign's
// policy and seeded bug), with the plugin writing its events into `scratch`.
machine::Machine reboot_machine(const Plan& plan, const std::string& image_path, const ScratchDir& scratch);

} // namespace ferros::tools::campaign
