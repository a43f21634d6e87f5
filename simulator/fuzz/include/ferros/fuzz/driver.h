#pragma once
// `ferros fuzz` under the command line: runs libFuzzer processes of the crash fuzzer
// (fuzz/crash/, built by the fuzzrun preset) on one corpus, watches them, and turns what they
// find into findings: deduplicated by signature (finding.h), minimised in this process with
// the same executor, written as workload files, and confirmed in the real guest by a campaign
// on the workload, whose first matching violation gives the repro token.
//
// Layout of the output directory (docs/fuzzing.md):
//   fuzz.json        what the directory fuzzes (policy, seeded bug, cut bound): a rerun with
//                    other settings is refused, a rerun with the same resumes
//   corpus/          the corpus (unless --corpus), libFuzzer's first directory: it adds here
//   seeds/           the generator's seeds, rewritten at each start
//   known.txt        signatures found so far, one a line: workers do not report them again
//   crashes/         libFuzzer's artefacts (crash-<sha1>: the inputs as found)
//   findings/SIG/    workload.bin (minimised), original.bin, workload.txt, finding.txt, finding.json
//                    and campaign/ (the confirming campaign's output)
//   logs/worker-N.log  each libFuzzer process's output

#include <atomic>
#include <cstdint>
#include <ferros/base/failure.h>
#include <ferros/storage/seeded_bug.h>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ferros::fuzz {

struct DriverOptions {
    std::string fuzzer; // the libFuzzer binary (fuzz_crash)
    std::string ferros; // the ferros command, for the confirming campaigns
    double seconds { 60 };
    unsigned jobs { 1 };
    std::string out { "fuzz-out" };
    std::string corpus; // default: out/corpus
    std::string policy { "cache:512:4" };
    storage::SeededBug bug { storage::SeededBug::None };
    uint64_t seed { 1 }; // libFuzzer's -seed for worker i is derived from it
    uint64_t max_cuts { 256 };
    bool live { true }; // R14 on every state (the campaign's default)
    size_t max_findings { 0 }; // stop after this many new findings (0: run for the time)
    bool guest { true }; // confirm each new finding with a campaign in QEMU
    size_t max_len { 4096 };
    uint64_t minimize_budget { 1000 }; // executions per finding
    std::function<void(const std::string&)> note; // a line for the person watching, if set
};

struct ProgressSample {
    double elapsed { 0 };
    uint64_t executions { 0 };
    double exec_per_s { 0 }; // over the last interval
    uint64_t coverage { 0 }; // libFuzzer's cov (edges), the most any worker reports
    uint64_t features { 0 };
    uint64_t corpus { 0 }; // inputs in the corpus directory
    size_t findings { 0 }; // new this run
};

struct FindingReport {
    std::string signature; // "R3:put>sync"
    std::string dir;
    std::string workload; // dir/workload.bin
    std::string description; // describe() of the minimised workload's violation
    uint32_t ops { 0 }; // of the minimised workload
    uint32_t original_ops { 0 };
    double found_after { 0 }; // seconds from the start of this run
    std::string campaign_command;
    bool guest_checked { false };
    bool reproduced_in_guest { false };
    std::string token; // the campaign's first violation of the same invariant (or its first)
    std::string repro_command;
    std::string guest_invariants; // what the campaign found, "R1,R2"
    std::string guest_error; // why the guest could not check it
};

struct DriverSummary {
    double seconds { 0 };
    unsigned jobs { 1 };
    uint64_t executions { 0 };
    uint64_t coverage { 0 };
    uint64_t features { 0 };
    uint64_t corpus { 0 };
    uint64_t restarts { 0 }; // workers restarted after a finding
    std::vector<std::string> other_artefacts; // timeouts, out-of-memory: libFuzzer's own findings
    std::vector<FindingReport> findings; // new in this run
    std::vector<std::string> known; // signatures from earlier runs of this directory
    std::optional<double> first_finding;
    bool interrupted { false };
};

// Errors: Usage-class (InvalidArgument) for a directory of another configuration; Io; a
// fuzzer that cannot be started (Unavailable).
Result<DriverSummary> run_fuzzing(const DriverOptions& options,
    const std::function<void(const ProgressSample&)>& progress, const std::atomic<bool>& stop);

struct MergeSummary {
    uint64_t before { 0 };
    uint64_t after { 0 };
    std::string log; // libFuzzer's MERGE-OUTER lines
};
// libFuzzer's -merge=1 into a fresh directory, which then replaces the corpus.
Result<MergeSummary> merge_corpus(const DriverOptions& options);

// One line of JSON for the summary (docs/fuzzing.md lists the fields).
std::string summary_json(const DriverOptions& options, const DriverSummary& summary);

} // namespace ferros::fuzz
