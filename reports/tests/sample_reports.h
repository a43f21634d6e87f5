#pragma once
// Report inputs for tests, shaped like real ones: the stage figures are those docs/kernel.md
// gives for a 1 MiB store; the loss classes follow a run with a sync every few hundred
// thousand instructions.

#include <ferros/reports/boot_report.h>
#include <ferros/reports/shutdown_report.h>

namespace ferros::reports::testing {

inline BootRun sample_boot(const std::string& source, uint64_t ssd_bytes, uint64_t to_ready, double wall)
{
    BootRun run;
    run.source = source;
    run.ssd_bytes = ssd_bytes;
    run.outcome = "ready";
    uint64_t const entry = 22'000;
    run.stages = {
        { "firmware-handoff", 21'900, 21'950, 80.0 },
        { "kernel-entry", 22'010, entry, 80.1 },
        { "memory-up", 30'000, entry + 8'000, 80.2 },
        { "interrupts-up", 33'000, entry + 11'000, 80.2 },
        { "ssd-found", 36'000, entry + 14'000, 80.3 },
        { "store-mounted", 22'000 + to_ready - 2'000, entry + to_ready - 2'000, 81.0 },
        { "ready", 22'000 + to_ready, entry + to_ready, 81.2 },
    };
    run.wall_ms = wall;
    return run;
}

inline BootReport sample_boot_report()
{
    BootReport r;
    r.kernel = "d35ec151e5bd4c72";
    r.runs.push_back(sample_boot("blank-1m.img", 1 << 20, 842'908, 95.5));
    r.runs.push_back(sample_boot("formatted-1m.img", 1 << 20, 38'394, 91.0));
    r.runs.push_back(sample_boot("filled-1m.img", 1 << 20, 1'364'840, 97.25));
    BootRun reboot;
    reboot.source = "campaign state 5000/3";
    reboot.ssd_bytes = 65536;
    reboot.cut_boundary = 5000;
    reboot.outcome = "ready";
    reboot.ready_instructions = 600'000;
    r.runs.push_back(reboot);
    BootRun failed = reboot;
    failed.source = "campaign state 7000/1";
    failed.cut_boundary = 7000;
    failed.outcome = "self-check-failed";
    failed.ready_instructions.reset();
    r.runs.push_back(failed);
    return r;
}

inline ShutdownInput sample_shutdown_input()
{
    ShutdownInput in;
    in.identity = { { "policy", "cache:512:4" }, { "kernel_hash", "d35ec151e5bd4c72" }, { "workload_hash", "ab" } };
    uint64_t b = 0;
    auto add = [&](uint64_t length, uint64_t ops, uint64_t since, std::string invariants) {
        in.classes.push_back({ b, length, ops ? 1u : 0u, ops, ops * 100, since, 4, std::move(invariants) });
        b += length;
    };
    add(1000, 0, 0, ""); // boot, before ready: nothing to lose
    add(300, 1, 100, "");
    add(700, 2, 400, "R5");
    add(1000, 0, 0, ""); // right after a sync
    add(500, 3, 1000, "R3,R5"); // loses something acknowledged
    add(500, 1, 1500, "R10"); // not R1: no acknowledged loss
    in.total_boundaries = b;
    for (uint64_t i = 0; i < 100; ++i)
        in.reboots.push_back({ i * 40, 0, "ready", 500'000 + i * 1'000, true });
    in.reboots.push_back({ 4000, 1, "self-check-failed", 0, false });
    for (auto id : { "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9" })
        in.violations_by_invariant[id] = 0;
    in.violations_by_invariant["R3"] = 1;
    in.violations_by_invariant["R5"] = 2;
    return in;
}

} // namespace ferros::reports::testing
