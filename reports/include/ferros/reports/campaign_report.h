#pragma once
// What a campaign found, read back from its results database, and the three ways it is shown:
// the summary on stdout, one JSON object (--json, last line), report.md and report.html.

#include <cstdint>
#include <ferros/base/error_or.h>
#include <ferros/campaign/results_db.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ferros::reports {

// The cuts that fell in one protocol phase (the loss pass's boundary classes, grouped).
struct PhaseCuts {
    uint64_t classes { 0 };
    uint64_t boundaries { 0 };
    uint64_t states { 0 }; // crash states enumerated there (with repeats)
    uint64_t violating_classes { 0 };
};

struct CampaignSummary {
    std::map<std::string, std::string> identity;
    std::string workload_description;
    ferros::campaign::WalkProgress walk;
    uint64_t total_boundaries { 0 };
    std::map<std::string, uint64_t> violations_by_invariant; // every R1..R9 present, zero or not
    uint64_t violations { 0 };
    uint64_t reboots { 0 };
    uint64_t reboots_agree { 0 };
    uint64_t max_ready_instructions { 0 };
    uint64_t nested_states { 0 };
    double walk_seconds { 0 };
    unsigned jobs { 1 };
    std::vector<ferros::campaign::ViolationRow> violation_rows;
    std::vector<ferros::campaign::RebootRow> reboot_rows;
    // What the run put the store through, and the cuts in each protocol phase, by
    // campaign::cut_phase_name (every phase present, zero or not); none for results written
    // before they were recorded.
    std::optional<ferros::campaign::RunSituations> situations;
    std::map<std::string, PhaseCuts> cuts_by_phase;
    // The commit, cleaning and checkpoint phases no cut fell in: the workload never got there.
    std::vector<std::string> phases_not_exercised;

    double coverage_percent() const;
    double states_per_second() const;
};

// Errors: Io (the database's last_error() says why).
ErrorOr<CampaignSummary> summarize(ferros::campaign::ResultsDb& db);

// What report.md and report.html list, so that a campaign with a hundred thousand violations
// (a seeded bug) or reboots (--reboot all) still gives pages a person can open: the first
// kListedPerKind violations of each kind (invariant, checker, depth), and every reboot whose
// checkers disagree or whose reboot failed, plus the first kListedReboots others. The JSON
// line and results.db keep everything; the pages say how many they leave out and where they
// are.
inline constexpr size_t kListedPerKind = 25;
inline constexpr size_t kListedReboots = 200;
struct Listed {
    std::vector<const ferros::campaign::ViolationRow*> violations;
    size_t violations_omitted { 0 };
    std::vector<const ferros::campaign::RebootRow*> reboots;
    size_t reboots_omitted { 0 };
};
Listed listed(const CampaignSummary& summary);

std::string render_text(const CampaignSummary& summary, const std::string& out_dir);
std::string render_json(const CampaignSummary& summary);
std::string render_markdown(const CampaignSummary& summary);
// A self-contained page (reports/page.h) whose headlines carry render_json's field names.
std::string render_html(const CampaignSummary& summary);

} // namespace ferros::reports
