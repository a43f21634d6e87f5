#pragma once
// The shutdown report (`ferros report shutdown CAMPAIGN_DIR`): "0 ms shutdown" as a measured
// distribution over every boundary of a campaign's traced run. For each boundary: what a power
// cut there can lose (transactions committed but not yet acknowledged durable, their
// operations and bytes, and the instructions of work since the last durable point), whether
// every invariant held for every crash state the policy allows there, and, from the reboots,
// what recovery costs (kernel-entry to ready). Rendered as one HTML page and its JSON twin
// (docs/reports.md documents every field).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ferros::reports {

// One boundary class of the walk: boundaries first_boundary .. first_boundary+boundaries-1,
// all with the same durable base and pending writes, so the same crash states.
struct LossClass {
    uint64_t first_boundary { 0 };
    uint64_t boundaries { 0 };
    uint64_t transactions { 0 }; // committed (submitted) and not acknowledged durable
    uint64_t operations { 0 }; // their puts and deletes
    uint64_t bytes { 0 }; // their keys and values
    // Instructions since the last durable point, at first_boundary; one more at each later
    // boundary of the class. The durable point is the last acknowledged sync (op-durable),
    // before the first one the `ready` stage; before `ready` there is no work to lose (0).
    uint64_t instructions_since_durable { 0 };
    uint64_t states { 0 }; // crash states the policy allows at these boundaries
    std::string invariants; // invariants any of them violated, "R3,R5"; "" when all held
};

struct RecoveryBoot {
    uint64_t boundary { 0 };
    uint64_t state { 0 };
    std::string outcome; // ready, self-check-failed, fault, ...
    uint64_t ready_instructions { 0 }; // kernel-entry to ready; 0 if not reached
    bool agrees { true }; // the host checker said the same
};

struct ShutdownInput {
    std::map<std::string, std::string> identity; // the campaign's (results.db meta)
    uint64_t total_boundaries { 0 }; // of the traced run (0 when the walk has not finished)
    std::vector<LossClass> classes; // in boundary order
    std::vector<RecoveryBoot> reboots;
    std::map<std::string, uint64_t> violations_by_invariant; // R1..R9
};

// Whether a class's violations mean that something acknowledged may be lost: R1 (the store
// does not mount: everything is gone), R3 (an acknowledged operation is missing or different)
// or R6 (durable data changed).
bool loses_acknowledged(const LossClass& c);

std::string shutdown_report_json(const ShutdownInput& input);
std::string shutdown_report_html(const ShutdownInput& input);

} // namespace ferros::reports
