#include <ferros/check/invariant.h>
#include <ferros/reports/campaign_report.h>
#include <ferros/reports/charts.h>
#include <ferros/reports/format.h>
#include <ferros/reports/page.h>
#include <fmt/format.h>

namespace ferros::reports {

// The campaign report as a page, beside report.md: the same facts, with the repro command of
// every violation ready to copy and the reboots' recovery costs as a histogram. Headlines
// carry the names of render_json's fields, so a test can hold one against the other.
std::string render_html(const CampaignSummary& s)
{
    auto id = [&](const char* key) {
        auto it = s.identity.find(key);
        return it == s.identity.end() ? std::string("?") : it->second;
    };
    Page page("Ferros power-cut campaign",
        fmt::format("{} · policy {} · seeded bug {} · shard {} · kernel {}", s.workload_description, id("policy"),
            id("bug"), id("shard"), id("kernel_hash")));
    page.headlines({
        { "/coverage_percent", "boundaries covered", format_percent(s.coverage_percent()),
            fmt::format("{} of {}", format_count(s.walk.boundaries), format_count(s.total_boundaries)) },
        { "/distinct_states", "distinct crash states", format_count(s.walk.distinct),
            fmt::format("of {} enumerated in {} classes", format_count(s.walk.states), format_count(s.walk.classes)) },
        { "/states_checked", "checked host-native", format_count(s.walk.checked), "" },
        { "/reboots", "rebooted in QEMU", format_count(s.reboots),
            fmt::format("{} agree with the host checker", format_count(s.reboots_agree)) },
        { "/violations", "violations", format_count(s.violations), "R1-R9" },
    });

    page.section("coverage", "Coverage");
    Table coverage { "coverage-table", { "", "" }, { Align::Left, Align::Right }, {} };
    coverage.rows = {
        { "workload", s.workload_description },
        { "boundaries covered",
            fmt::format("{} of {}", format_count(s.walk.boundaries), format_count(s.total_boundaries)) },
        { "boundary classes", format_count(s.walk.classes) },
        { "crash states enumerated", format_count(s.walk.states) },
        { "distinct states", format_count(s.walk.distinct) },
        { "checked host-native", format_count(s.walk.checked) },
        { "rebooted in QEMU", format_count(s.reboots) },
        { "checked after a second cut", format_count(s.nested_states) },
    };
    for (auto const& [key, value] : s.identity)
        coverage.rows.push_back({ key, value });
    page.table(coverage);

    page.section("invariants", "Verdicts by invariant");
    Table invariants { "invariant-table", { "invariant", "name", "violations" },
        { Align::Left, Align::Left, Align::Right }, {} };
    for (auto invariant : check::kInvariants) {
        std::string const iid = check::invariant_id(invariant);
        auto it = s.violations_by_invariant.find(iid);
        invariants.rows.push_back({ iid, check::invariant_name(invariant),
            format_count(it == s.violations_by_invariant.end() ? 0 : it->second) });
    }
    page.table(invariants);

    page.section("situations", "Situations");
    if (!s.situations) {
        page.paragraph("Not recorded: these results were written before situation coverage.");
    } else {
        auto const& r = *s.situations;
        auto percent = [](uint64_t part, uint64_t whole) { return whole ? 100.0 * part / whole : 0.0; };
        Table situations { "situation-table", { "", "" }, { Align::Left, Align::Right }, {} };
        situations.rows = {
            { "laps of the ring",
                fmt::format("{:.2f} ({} wraps)", r.ring_length ? double(r.ring_bytes) / r.ring_length : 0.0, r.wraps) },
            { "cleaning passes", format_count(r.cleaning_passes) },
            { "relocated bytes", format_count(r.relocated_bytes) },
            { "anchors written",
                fmt::format("{} ({} checkpoints)", format_count(r.anchors), format_count(r.checkpoints)) },
            { "fill reached (live charge of capacity)", format_percent(percent(r.max_live_charge, r.capacity)) },
            { "ring in use at most", format_percent(percent(r.max_ring_used, r.ring_length)) },
            { "NoSpace refusals", format_count(r.refused_nospace) },
        };
        page.table(situations);
        Table phases { "phase-table", { "phase", "boundaries", "classes", "crash states", "classes with a violation" },
            { Align::Left, Align::Right, Align::Right, Align::Right, Align::Right }, {} };
        for (auto phase : campaign::kAllCutPhases) {
            auto const& c = s.cuts_by_phase.at(campaign::cut_phase_name(phase));
            phases.rows.push_back({ campaign::cut_phase_name(phase), format_count(c.boundaries),
                format_count(c.classes), format_count(c.states), format_count(c.violating_classes) });
        }
        page.table(phases);
        if (!s.phases_not_exercised.empty()) {
            std::string names;
            for (auto const& name : s.phases_not_exercised)
                names += (names.empty() ? "" : ", ") + name;
            page.paragraph(fmt::format("Not exercised (no cut fell there: the workload never reached it): {}.", names));
        }
    }

    auto const shown = listed(s);
    page.section("violations", "Violations");
    if (s.violation_rows.empty())
        page.paragraph("None: every checked state kept every invariant.");
    if (shown.violations_omitted > 0)
        page.paragraph(fmt::format("The first {} of each kind (invariant, checker, depth) are listed; {} more are in "
                                   "results.db (table violations) and the --json line.",
            kListedPerKind, format_count(shown.violations_omitted)));
    Table violations { "violation-table", { "invariant", "boundary", "state", "depth", "checker", "message" },
        { Align::Left, Align::Right, Align::Right, Align::Right, Align::Left, Align::Left }, {} };
    for (auto const* v : shown.violations)
        violations.rows.push_back({ check::invariant_id(v->invariant), format_count(v->boundary),
            format_count(v->state), std::to_string(v->depth), campaign::checker_name(v->checker), v->message });
    if (!s.violation_rows.empty()) {
        page.table(violations);
        page.paragraph("Each reproduces with one command:");
        std::string commands;
        for (auto const* v : shown.violations)
            commands += fmt::format("ferros repro {}\n", v->token);
        page.code(commands);
    }

    page.section("reboots", "Reboots");
    if (s.reboot_rows.empty()) {
        page.paragraph("No state was rebooted in QEMU (--reboot none).");
    } else {
        std::vector<uint64_t> ready;
        for (auto const& r : s.reboot_rows) {
            if (r.reboot_passed)
                ready.push_back(r.ready_instructions);
        }
        if (!ready.empty())
            page.add(render_histogram({ "reboot-ready", "Recovery cost of the rebooted states",
                "kernel-entry to ready (instructions)", "reboots", histogram_bins(ready, 20) }));
        Table reboots { "reboot-table",
            { "boundary", "state", "outcome", "kernel-entry to ready", "host says", "reboot says" },
            { Align::Right, Align::Right, Align::Left, Align::Right, Align::Left, Align::Left }, {} };
        for (auto const* r : shown.reboots)
            reboots.rows.push_back(
                { format_count(r->boundary), format_count(r->state), r->outcome, format_count(r->ready_instructions),
                    r->host_passed ? "mountable" : "broken", r->reboot_passed ? "ready" : "failed" });
        if (shown.reboots_omitted > 0)
            page.paragraph(fmt::format("Every reboot that failed or disagrees with the host checker is listed, and the "
                                       "first {} others; {} more are in results.db (table reboots).",
                kListedReboots, format_count(shown.reboots_omitted)));
        page.table(reboots);
    }
    return page.render();
}

} // namespace ferros::reports
