#pragma once
// A campaign summary for tests of the campaign page: two violations (one with markup in its
// message), three reboots.

#include <ferros/reports/campaign_report.h>

namespace ferros::reports::testing {

inline CampaignSummary sample_campaign()
{
    CampaignSummary s;
    s.identity = { { "policy", "cache:512:4" }, { "bug", "anchor-before-data" }, { "shard", "0/1" },
        { "kernel_hash", "d35ec151e5bd4c72" } };
    s.workload_description = "workload 300 ops, profile txn, seed 1";
    s.walk.boundaries = 9'438'907;
    s.walk.classes = 10'606;
    s.walk.states = 131'732;
    s.walk.distinct = 59'270;
    s.walk.checked = 59'270;
    s.total_boundaries = 9'438'907;
    for (auto invariant : check::kInvariants)
        s.violations_by_invariant[check::invariant_id(invariant)] = 0;
    s.violation_rows.push_back({ check::Invariant::R2, 5000, 3, 1, campaign::Checker::Host,
        "ferros1.kd35ec151e5bd4c72.wab.g1:300:txn.i10000.cache:512:4.s1.b1388.x3.none.r-.c1234abcd",
        "record <7> fails its checksum & more" });
    s.violation_rows.push_back({ check::Invariant::R1, 7000, 0, 1, campaign::Checker::Reboot, "ferros1.token2",
        "reboot ended self-check-failed" });
    s.violations_by_invariant["R2"] = 1;
    s.violations_by_invariant["R1"] = 1;
    s.violations = 2;
    s.reboot_rows.push_back({ 1, 100, 0, "ready", 600'000, true, true });
    s.reboot_rows.push_back({ 2, 5000, 3, "ready", 631'138, true, true });
    s.reboot_rows.push_back({ 3, 7000, 0, "self-check-failed", 0, false, false });
    s.reboots = 3;
    s.reboots_agree = 3;
    s.max_ready_instructions = 631'138;
    return s;
}

} // namespace ferros::reports::testing
