#include <ferros/check/invariant.h>
#include <ferros/reports/campaign_report.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>

namespace ferros::reports {

double CampaignSummary::coverage_percent() const
{
    return total_boundaries ? 100.0 * static_cast<double>(walk.boundaries) / static_cast<double>(total_boundaries)
                            : 0.0;
}

double CampaignSummary::states_per_second() const
{
    return walk_seconds > 0 ? static_cast<double>(walk.checked) / walk_seconds : 0.0;
}

ErrorOr<CampaignSummary> summarize(ferros::campaign::ResultsDb& db)
{
    CampaignSummary s;
    s.identity = TRY(db.identity());
    s.walk = TRY(db.progress("main"));
    for (auto invariant : check::kInvariants)
        s.violations_by_invariant[check::invariant_id(invariant)] = 0;
    s.violation_rows = TRY(db.violations());
    for (auto const& v : s.violation_rows)
        ++s.violations_by_invariant[check::invariant_id(v.invariant)];
    s.violations = s.violation_rows.size();
    s.reboot_rows = TRY(db.reboots());
    s.reboots = s.reboot_rows.size();
    for (auto const& r : s.reboot_rows) {
        if (r.host_passed == r.reboot_passed)
            ++s.reboots_agree;
        s.max_ready_instructions = std::max(s.max_ready_instructions, r.ready_instructions);
    }
    s.nested_states = TRY(db.state_hashes(2)).size();
    return s;
}

std::string render_text(const CampaignSummary& s, const std::string& out_dir)
{
    auto id = [&](const char* key) {
        auto it = s.identity.find(key);
        return it == s.identity.end() ? std::string("?") : it->second;
    };
    std::string by_invariant;
    for (auto const& [invariant, count] : s.violations_by_invariant)
        by_invariant += fmt::format("{}{} {}", by_invariant.empty() ? "" : ", ", invariant, count);
    std::string out;
    out += fmt::format("ferros campaign: {}, policy {}, seeded bug {}, shard {}, kernel {}\n", s.workload_description,
        id("policy"), id("bug"), id("shard"), id("kernel_hash"));
    out += fmt::format(
        "  boundaries covered  {} of {} ({:.2f}%)\n", s.walk.boundaries, s.total_boundaries, s.coverage_percent());
    out += fmt::format("  boundary classes    {}\n", s.walk.classes);
    out += fmt::format("  crash states        {} enumerated, {} distinct\n", s.walk.states, s.walk.distinct);
    out += fmt::format("  states checked      {} host-native; {} rebooted in QEMU ({} agree, ready within {} "
                       "instructions); {} after a second cut\n",
        s.walk.checked, s.reboots, s.reboots_agree, s.max_ready_instructions, s.nested_states);
    out += fmt::format("  violations          {}\n", s.violations);
    out += fmt::format("  by invariant        {}\n", by_invariant);
    if (s.walk_seconds > 0)
        out += fmt::format("  throughput          {:.0f} states/s on {} jobs\n", s.states_per_second(), s.jobs);
    out += fmt::format("  results             {0}/results.db, {0}/report.md, {0}/report.html\n", out_dir);
    size_t shown = 0;
    for (auto const& v : s.violation_rows) {
        if (shown++ == 5) {
            out += fmt::format("  ... {} more in {}/report.md\n", s.violation_rows.size() - 5, out_dir);
            break;
        }
        out += fmt::format("  {} at boundary {} state {} ({}): {}\n    ferros repro {}\n",
            check::invariant_id(v.invariant), v.boundary, v.state, campaign::checker_name(v.checker), v.message,
            v.token);
    }
    return out;
}

std::string render_json(const CampaignSummary& s)
{
    nlohmann::ordered_json j;
    j["identity"] = s.identity;
    j["boundaries_total"] = s.total_boundaries;
    j["boundaries_covered"] = s.walk.boundaries;
    j["coverage_percent"] = s.coverage_percent();
    j["classes"] = s.walk.classes;
    j["states"] = s.walk.states;
    j["distinct_states"] = s.walk.distinct;
    j["states_checked"] = s.walk.checked;
    j["reboots"] = s.reboots;
    j["reboots_agree"] = s.reboots_agree;
    j["max_ready_instructions"] = s.max_ready_instructions;
    j["nested_states"] = s.nested_states;
    j["violations"] = s.violations;
    j["violations_by_invariant"] = s.violations_by_invariant;
    j["states_per_second"] = s.states_per_second();
    j["jobs"] = s.jobs;
    auto tokens = nlohmann::json::array();
    for (auto const& v : s.violation_rows)
        tokens.push_back({ { "invariant", check::invariant_id(v.invariant) }, { "boundary", v.boundary },
            { "state", v.state }, { "depth", v.depth }, { "checker", campaign::checker_name(v.checker) },
            { "token", v.token }, { "message", v.message } });
    j["violation_list"] = tokens;
    return j.dump();
}

std::string render_markdown(const CampaignSummary& s)
{
    std::string out = "# Ferros power-cut campaign\n\n";
    out += "| | |\n|---|---|\n";
    out += fmt::format("| workload | {} |\n", s.workload_description);
    for (auto const& [key, value] : s.identity)
        out += fmt::format("| {} | `{}` |\n", key, value);
    out += fmt::format(
        "| boundaries covered | {} of {} ({:.2f}%) |\n", s.walk.boundaries, s.total_boundaries, s.coverage_percent());
    out += fmt::format("| boundary classes | {} |\n", s.walk.classes);
    out += fmt::format("| crash states | {} enumerated, {} distinct |\n", s.walk.states, s.walk.distinct);
    out += fmt::format("| checked host-native | {} |\n", s.walk.checked);
    out += fmt::format("| rebooted in QEMU | {} ({} agree with the host checker) |\n", s.reboots, s.reboots_agree);
    out += fmt::format("| checked after a second cut | {} |\n", s.nested_states);
    out += fmt::format("| violations | {} |\n\n", s.violations);
    out += "## Violations by invariant\n\n| invariant | name | count |\n|---|---|---|\n";
    for (auto invariant : check::kInvariants) {
        std::string id = check::invariant_id(invariant);
        out += fmt::format(
            "| {} | {} | {} |\n", id, check::invariant_name(invariant), s.violations_by_invariant.at(id));
    }
    out += "\n## Violations\n\n";
    if (s.violation_rows.empty())
        out += "None.\n";
    for (auto const& v : s.violation_rows) {
        out += fmt::format(
            "### {} at boundary {}, state {} (depth {}, {} checker)\n\n{}\n\n```\nferros repro {}\n```\n\n",
            check::invariant_id(v.invariant), v.boundary, v.state, v.depth, campaign::checker_name(v.checker),
            v.message, v.token);
    }
    if (!s.reboot_rows.empty()) {
        out += "\n## Reboots\n\n| boundary | state | outcome | kernel-entry to ready | host says | reboot says |\n"
               "|---|---|---|---|---|---|\n";
        for (auto const& r : s.reboot_rows)
            out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", r.boundary, r.state, r.outcome,
                r.ready_instructions, r.host_passed ? "mountable" : "broken", r.reboot_passed ? "ready" : "failed");
    }
    return out;
}

} // namespace ferros::reports
