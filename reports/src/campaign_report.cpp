#include <ferros/check/invariant.h>
#include <ferros/reports/campaign_report.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

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
    s.situations = TRY(db.situations());
    if (s.situations) {
        for (auto phase : campaign::kAllCutPhases)
            s.cuts_by_phase[campaign::cut_phase_name(phase)] = PhaseCuts {};
        for (auto const& row : TRY(db.loss_classes())) {
            auto it = s.cuts_by_phase.find(row.phase);
            if (it == s.cuts_by_phase.end())
                continue; // a class recorded before phases were
            it->second.classes++;
            it->second.boundaries += row.boundaries;
            it->second.states += row.states;
            it->second.violating_classes += row.invariants.empty() ? 0 : 1;
        }
        for (auto phase : campaign::kAllCutPhases) {
            if (campaign::cut_phase_expected(phase) && s.cuts_by_phase[campaign::cut_phase_name(phase)].boundaries == 0)
                s.phases_not_exercised.push_back(campaign::cut_phase_name(phase));
        }
    }
    return s;
}

namespace {

    // "5.22": how many times the head went round the ring.
    std::string laps(const campaign::RunSituations& r)
    {
        return r.ring_length ? fmt::format("{:.2f}", static_cast<double>(r.ring_bytes) / r.ring_length) : "0";
    }

    unsigned percent_of(uint64_t part, uint64_t whole) { return whole ? static_cast<unsigned>(100 * part / whole) : 0; }

    std::string cuts(const CampaignSummary& s, campaign::CutPhase phase)
    {
        auto const& c = s.cuts_by_phase.at(campaign::cut_phase_name(phase));
        return fmt::format("{} ({} states)", c.boundaries, c.states);
    }

    // The situation lines of the text summary (docs/campaign.md, "Situations").
    std::string situation_lines(const CampaignSummary& s)
    {
        using campaign::CutPhase;
        if (!s.situations)
            return "  situations          not recorded (results written before situation coverage)\n";
        auto const& r = *s.situations;
        std::string out;
        out += fmt::format(
            "  ring                {} laps ({} wraps at its end: {} with exactly a Pad's room, {} with less), "
            "{} cleaning passes relocated {} bytes, {} anchors ({} checkpoints)\n",
            laps(r), r.wraps, r.minimal_pads, r.padless_wraps, r.cleaning_passes, r.relocated_bytes, r.anchors,
            r.checkpoints);
        out += fmt::format("  fill                {}% of capacity at most ({} of {} bytes), {}% of the ring in use; "
                           "refused: {} NoSpace, {} too big\n",
            percent_of(r.max_live_charge, r.capacity), r.max_live_charge, r.capacity,
            percent_of(r.max_ring_used, r.ring_length), r.refused_nospace, r.refused_too_big);
        out += fmt::format("  cuts in commits     written {}, flushed {}\n", cuts(s, CutPhase::CommitWritten),
            cuts(s, CutPhase::CommitFlushed));
        out += fmt::format("  cuts in cleaning    relocating {}\n", cuts(s, CutPhase::CleanRelocating));
        out += fmt::format(
            "  cuts in checkpoints data written {}, data flushed {}, anchor written {}, anchor flushed {}\n",
            cuts(s, CutPhase::CheckpointDataWritten), cuts(s, CutPhase::CheckpointDataFlushed),
            cuts(s, CutPhase::CheckpointAnchorWritten), cuts(s, CutPhase::CheckpointAnchorFlushed));
        if (!s.phases_not_exercised.empty()) {
            std::string names;
            for (auto const& name : s.phases_not_exercised)
                names += (names.empty() ? "" : ", ") + name;
            out += fmt::format("  not exercised       {} (no cut fell there: the workload never reached it)\n", names);
        }
        return out;
    }

} // namespace

std::string render_text(const CampaignSummary& s, const std::string& out_dir)
{
    auto id = [&](const char* key) {
        auto it = s.identity.find(key);
        return it == s.identity.end() ? std::string("?") : it->second;
    };
    std::string by_invariant;
    // In the table's order (R1, R2, ..., R14), not the map's (R1, R14, R2, ...).
    for (auto invariant : check::kInvariants) {
        auto it = s.violations_by_invariant.find(check::invariant_id(invariant));
        by_invariant += fmt::format("{}{} {}", by_invariant.empty() ? "" : ", ", check::invariant_id(invariant),
            it == s.violations_by_invariant.end() ? 0 : it->second);
    }
    std::string out;
    out += fmt::format("ferros campaign: {}, policy {}, seeded bug {}, shard {}, kernel {}\n", s.workload_description,
        id("policy"), id("bug"), id("shard"), id("kernel_hash"));
    out += fmt::format(
        "  boundaries covered  {} of {} ({:.2f}%)\n", s.walk.boundaries, s.total_boundaries, s.coverage_percent());
    out += fmt::format("  boundary classes    {}\n", s.walk.classes);
    out += fmt::format("  crash states        {} enumerated, {} distinct\n", s.walk.states, s.walk.distinct);
    // Whether the reboots ran R14's continuation in the guest (--reboot-until), for campaigns
    // recorded before the key existed: said only when known.
    std::string const until = id("reboot_until") == "?" ? "" : fmt::format(" to {}", id("reboot_until"));
    out += fmt::format("  states checked      {} host-native; {} rebooted in QEMU{} ({} agree, ready within {} "
                       "instructions); {} after a second cut\n",
        s.walk.checked, s.reboots, until, s.reboots_agree, s.max_ready_instructions, s.nested_states);
    out += fmt::format("  violations          {}\n", s.violations);
    out += fmt::format("  by invariant        {}\n", by_invariant);
    out += situation_lines(s);
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

Listed listed(const CampaignSummary& s)
{
    Listed out;
    std::map<std::tuple<int, int, int>, size_t> per_kind;
    for (auto const& v : s.violation_rows) {
        auto& shown = per_kind[{ static_cast<int>(v.invariant), static_cast<int>(v.checker), v.depth }];
        if (shown++ < kListedPerKind)
            out.violations.push_back(&v);
        else
            ++out.violations_omitted;
    }
    size_t others = 0;
    for (auto const& r : s.reboot_rows) {
        bool const notable = r.host_passed != r.reboot_passed || !r.reboot_passed;
        if (notable || others++ < kListedReboots)
            out.reboots.push_back(&r);
        else
            ++out.reboots_omitted;
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
    if (s.situations) {
        nlohmann::ordered_json situations;
        for (auto const& [name, value] : s.situations->fields())
            situations[name] = value;
        j["situations"] = situations;
        nlohmann::ordered_json phases;
        for (auto phase : campaign::kAllCutPhases) {
            auto const& c = s.cuts_by_phase.at(campaign::cut_phase_name(phase));
            phases[campaign::cut_phase_name(phase)] = { { "boundaries", c.boundaries }, { "classes", c.classes },
                { "states", c.states }, { "violating_classes", c.violating_classes } };
        }
        j["cuts_by_phase"] = phases;
        j["phases_not_exercised"] = s.phases_not_exercised;
    }
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
    if (s.situations) {
        auto const& r = *s.situations;
        out += "\n## Situations\n\n| | |\n|---|---|\n";
        out += fmt::format(
            "| laps of the ring | {} ({} wraps at the end, {} Pad records, {} of them exactly 48 bytes; {} wraps "
            "with no room for a Pad) |\n",
            laps(r), r.wraps, r.pads, r.minimal_pads, r.padless_wraps);
        out += fmt::format("| cleaning passes | {} (tail moved {} bytes; {} relocation records, {} bytes) |\n",
            r.cleaning_passes, r.tail_bytes, r.relocation_records, r.relocated_bytes);
        out += fmt::format(
            "| anchors written | {} ({} mount, {} checkpoints) |\n", r.anchors, r.mount_anchors, r.checkpoints);
        out += fmt::format("| records | {} commits ({} bytes), {} index nodes ({} bytes) |\n", r.commit_records,
            r.commit_bytes, r.node_records, r.node_bytes);
        out += fmt::format(
            "| fill reached | {}% of capacity ({} of {} bytes of live charge), {}% of the ring in use |\n",
            percent_of(r.max_live_charge, r.capacity), r.max_live_charge, r.capacity,
            percent_of(r.max_ring_used, r.ring_length));
        out += fmt::format("| refused | {} NoSpace, {} too big |\n", r.refused_nospace, r.refused_too_big);
        out += "\n### Cuts by phase\n\n| phase | boundaries | classes | crash states | classes with a violation |\n"
               "|---|---|---|---|---|\n";
        for (auto phase : campaign::kAllCutPhases) {
            auto const& c = s.cuts_by_phase.at(campaign::cut_phase_name(phase));
            out += fmt::format("| {} | {} | {} | {} | {} |\n", campaign::cut_phase_name(phase), c.boundaries, c.classes,
                c.states, c.violating_classes);
        }
        if (!s.phases_not_exercised.empty()) {
            out += "\nNot exercised (no cut fell there: the workload never reached it):";
            for (auto const& name : s.phases_not_exercised)
                out += " `" + name + "`";
            out += "\n";
        }
    }
    auto const shown = listed(s);
    out += "\n## Violations\n\n";
    if (s.violation_rows.empty())
        out += "None.\n";
    if (shown.violations_omitted > 0)
        out += fmt::format("The first {} of each kind (invariant, checker, depth) are listed; {} more are in "
                           "`results.db` (`sqlite3 results.db 'SELECT * FROM violations'`) and the `--json` line.\n\n",
            kListedPerKind, shown.violations_omitted);
    for (auto const* row : shown.violations) {
        auto const& v = *row;
        out += fmt::format(
            "### {} at boundary {}, state {} (depth {}, {} checker)\n\n{}\n\n```\nferros repro {}\n```\n\n",
            check::invariant_id(v.invariant), v.boundary, v.state, v.depth, campaign::checker_name(v.checker),
            v.message, v.token);
    }
    if (!s.reboot_rows.empty()) {
        out += "\n## Reboots\n\n";
        if (shown.reboots_omitted > 0)
            out += fmt::format(
                "Every reboot that failed or disagrees with the host checker is listed, and the first {} "
                "others; {} more are in `results.db` (table `reboots`).\n\n",
                kListedReboots, shown.reboots_omitted);
        out += "| boundary | state | outcome | kernel-entry to ready | host says | reboot says |\n"
               "|---|---|---|---|---|---|\n";
        for (auto const* row : shown.reboots) {
            auto const& r = *row;
            out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", r.boundary, r.state, r.outcome,
                r.ready_instructions, r.host_passed ? "mountable" : "broken", r.reboot_passed ? "ready" : "failed");
        }
    }
    return out;
}

} // namespace ferros::reports
