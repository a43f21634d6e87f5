#pragma once
// The boot report (`ferros report boot`): how long Ferros takes from power-on to `ready`,
// stage by stage, and over many boots. Built from boots that a caller ran (ferros report
// boot) or from a campaign's reboots; rendered as one self-contained HTML page and as its
// JSON twin (docs/reports.md documents every field).
//
// The clocks (Firecracker's lesson: say where t0 is):
//   instructions  retired guest instructions from power-on (boundary 0: QEMU's first
//                 instruction, firmware included), exact, from the plugin's marker stamps;
//   virtual time  the guest's TSC in ns since power-on (`vt=` of each stage line); under
//                 -icount shift=0 one instruction is one ns;
//   wall time     ms from the start of the QEMU process to the stage's console line reaching
//                 the host: includes QEMU's own start-up, varies from run to run.
// Time-to-ready is measured from kernel-entry to ready (instructions): the part Ferros owns.

#include <cstdint>
#include <ferros/reports/stats.h>
#include <optional>
#include <string>
#include <vector>

namespace ferros::reports {

struct BootStage {
    std::string name;
    uint64_t virtual_ns { 0 };
    std::optional<uint64_t> instructions; // boundary at which the stage's marker retired
    std::optional<double> wall_ms;
};

struct BootRun {
    std::string source; // the image booted, or "campaign state B/X"
    uint64_t ssd_bytes { 0 }; // 0: no SSD
    std::optional<uint64_t> store_bytes; // live data on the store, when known
    std::optional<uint64_t> cut_boundary; // a campaign reboot: where its state was cut
    std::string outcome; // ready, self-check-failed, fault, ...
    std::vector<BootStage> stages; // empty for a campaign reboot (only the total is kept)
    std::optional<uint64_t> ready_instructions; // kernel-entry to ready
    std::optional<double> wall_ms; // the whole QEMU run
};

struct BootReport {
    std::string kernel; // hash of the kernel ELF
    std::vector<BootRun> runs;
};

// The run whose stages the timeline shows: the first that reached ready with its stages, or
// the first with stages.
const BootRun* timeline_run(const BootReport& report);
// kernel-entry to ready of each run that has it (stages, else the recorded figure).
std::optional<uint64_t> ready_instructions(const BootRun& run);

std::string boot_report_json(const BootReport& report);
std::string boot_report_html(const BootReport& report);

} // namespace ferros::reports
