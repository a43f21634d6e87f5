#pragma once
// `ferros faults` (docs/cli.md): a campaign over injection points. The fault-free run says how
// many user-mode instructions the store server retires for the plan's workload (T); the
// points are N = K, 2K, ... <= T (`--every K`, 1 by default), each for every fault kind asked
// for; each point is one QEMU run (injection_run.h). A shard I/N takes every N-th point from
// the I-th. Results go to faults.db in the plan's output directory, one transaction a run:
// a rerun with the same arguments resumes where a killed one stopped.

#include <atomic>
#include <ferros/base/failure.h>
#include <ferros/campaign/plan.h>
#include <ferros/campaign/reporter.h>
#include <ferros/faults/faults_db.h>
#include <string>
#include <vector>

namespace ferros::faults {

struct FaultsOptions {
    uint64_t every { 1 };
    std::vector<FaultKind> kinds { std::begin(kAllKinds), std::end(kAllKinds) };
};

struct FaultsSummary {
    uint64_t store_instructions { 0 }; // T: the fault-free run's
    // The fault-free run's own R1-R6 violations: a store broken without any fault (a seeded
    // bug) fails here already, and every injection run says so again, with its token.
    std::vector<check::Invariant> baseline_violations;
    uint64_t points { 0 }; // injection runs this shard owns (points x kinds)
    uint64_t runs { 0 }; // recorded, this invocation's and earlier ones'
    uint64_t fired { 0 };
    uint64_t activated { 0 };
    uint64_t kernel_crashes { 0 }; // runs that ended otherwise than at power-off
    uint64_t unended { 0 }; // runs that hit the instruction limit (InjectionVerdict::ended)
    uint64_t restarted { 0 }; // runs in which the supervisor restarted the server
    uint64_t gave_up { 0 }; // runs in which it gave up (over budget)
    uint64_t violations { 0 }; // runs in which R1-R6 failed for the acknowledged operations
    uint64_t failed_ops { 0 }; // client calls that got an error (ServerRestarted ...), all runs
    uint64_t wrong_answers { 0 }; // runs in which a get returned what the store must not hold
    uint64_t gets_answered { 0 }; // gets that returned a value or NotFound, all runs
    std::vector<InjectionRow> failures; // runs that did not pass, in point order
    bool complete() const { return runs == points; }
    bool passed() const { return failures.empty() && baseline_violations.empty(); }
};

// The repro token of one injection: the power-cut campaign's token text (campaign/token.h)
// for the plan, with the point in place of the cut:
//   ferrosf1.k<kernel>.w<workload>.<source>.i<size>.<policy>.<bug>.n<N>.<kind>.a<ARG>.c<crc>
std::string fault_token(const campaign::Plan& plan, const InjectionPoint& point);
struct DecodedFaultToken {
    campaign::ReproToken base; // kernel, workload, source, image size, policy, bug
    InjectionPoint point;
};
// Errors: BadFormat (shape), Corrupt (checksum).
ErrorOr<DecodedFaultToken> decode_fault_token(const std::string& text);

// Runs (or resumes) the campaign. Errors: Mismatch (the output directory holds another
// campaign), Io (the database), Interrupted (`stop` became true; every finished run is saved),
// and those of run_injection; a fault-free run that does not reach power-off, or in which the
// store server's count is missing, is NotReached: there is no range of N to inject in.
Result<FaultsSummary> run_faults(const campaign::Plan& plan, const FaultsOptions& options, campaign::Reporter& reporter,
    const std::atomic<bool>& stop);

// The summary's lines and its JSON object (one line; `ferros campaign --json`'s style).
std::string summary_text(const FaultsSummary& summary);
std::string summary_json(const FaultsSummary& summary);

} // namespace ferros::faults
