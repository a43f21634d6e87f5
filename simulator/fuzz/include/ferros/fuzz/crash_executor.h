#pragma once
// Runs one workload the way the guest runs it, on the host, and checks the crash state of
// every cut point: the crash fuzzer's execution of one input.
//
//   workload ─► user/runner's run_workload (the guest's runner code, markers and all)
//            ─► the kernel's checks of the store calls (kernel/syscall/validate.cpp; store_calls.h)
//            ─► the host build of the store ─► HostSsd (the emulated SSD, crash model on)
//   markers  ─► campaign::MarkerOracle (the campaign's oracle) ─► the History checked against
//
// As the explorer does (storage/check/explorer.h), the device calls back before each write
// and flush with what a cut there would leave; every crash state the policy allows there is
// checked with check_state() against the oracle's history as it stands. Unlike the explorer,
// states are checked as StateViews over the durable image (the campaign's incremental path,
// docs/campaign.md), and a state is checked once per history: the explorer checks it again at
// every cut, although between two submitted operations the history, and with it the verdict,
// cannot change. (The campaign checks a state once whatever the history: a state that first
// appears where it is allowed and again where it is not is a violation here and not there.)
//
// The runner's entry points are plain function pointers, as in the guest: they reach the run
// through a thread-local, so an executor runs on the thread that calls run().

#include <cstdint>
#include <ferros/abi/workload.h>
#include <ferros/base/error_or.h>
#include <ferros/check/invariant.h>
#include <ferros/crash/policy.h>
#include <ferros/storage/seeded_bug.h>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ferros::fuzz {

struct ExecutorOptions {
    // The campaign's defaults, so that what the fuzzer finds is what a campaign on the same
    // workload finds in the guest: `cache:512:4`, a 64 KiB SSD, the kernel's store options.
    crash::Policy policy { crash::Policy::parse("cache:512:4").value() };
    uint64_t device_size { 64 * 1024 };
    storage::SeededBug bug { storage::SeededBug::None };
    // Seeds the sampled state spaces (as explore() does: seed * golden + cut) and the sample
    // of cut points.
    uint64_t seed { 1 };
    // An input of at most `all_cuts_ops` operations is checked at every cut point. A longer
    // one too if it has at most `max_cuts` of them, else at a seeded sample of `max_cuts`
    // (reported as `sampled`). max_cuts 0: every cut point of every input.
    uint32_t all_cuts_ops { 32 };
    uint64_t max_cuts { 256 };
    // Also cut inside each write of two or more words, after a seeded number of them: the
    // guest's driver copies a write into the SSD window a word at a time, and a cut at an
    // instruction boundary meanwhile leaves a unit half new in the cache (under cache:512 a
    // torn anchor, say), which a cut between whole writes never shows.
    bool cuts_inside_writes { true };
    // R14: run the store's continuation on each state that passes R1-R6 (storage/check,
    // CheckOptions::live), as the campaign does unless --no-live. Two thirds of an execution.
    bool live { true };
    // Verify every state from scratch instead of reusing what was verified on its durable
    // image (the campaign's --full-check).
    bool full_check { false };
    // Clean verdicts kept across executions (2^n slots of 16 bytes; 0: none): a state checked
    // clean under a history is not checked again under the same history (a content hash of
    // both, the states' crash::image_hash and History::content_hash), nor its R14 continuation
    // run again under any. Mutated inputs share their first operations, and with them states
    // and histories, with the inputs they come from.
    unsigned known_slots_log2 { 20 };
};

struct CutViolation {
    check::Invariant invariant { check::Invariant::R1 };
    std::string message;
    // Power cut before this device operation, counted from the mount the run starts with (as
    // the explorer counts): first_cut .. first_cut + operations, the last after the workload.
    uint64_t cut { 0 };
    uint64_t state { 0 }; // index in that cut's state space (docs/crash-model.md)
    uint32_t op { 0 }; // the workload op in flight at the cut (op_count: after the last op)
    // 0: before device operation `cut`; n: inside it, a write whose first n 8-byte words had
    // reached the device.
    uint32_t inside { 0 };
};

struct Execution {
    uint32_t ops { 0 }; // workload ops run
    uint32_t errors { 0 }; // calls that returned an error (they do not stop the workload)
    uint64_t first_cut { 0 }; // the device operations of the mount before the workload
    uint64_t operations { 0 }; // device operations (writes and flushes) of the uncut workload
    uint64_t cuts { 0 }; // cut points checked before a device operation (or after the last)
    uint64_t inside_cuts { 0 }; // cut points checked inside a write
    bool sampled { false }; // a sample of the cut points, not every one
    uint64_t states { 0 }; // state indices enumerated
    uint64_t distinct_states { 0 }; // new (content hash, history) pairs in this execution
    uint64_t known_states { 0 }; // of those, found clean by an earlier execution: not checked again
    uint64_t known_live { 0 }; // checked for R1-R6 only: R14 found the state clean before
    std::vector<CutViolation> violations; // in the order found; the last one stopped the run
    bool failed_uncut { false }; // the workload itself failed on the device (reported as R1)
};

// Value sizes where the store changes behaviour on this device, measured on it: the fuzzer's
// mutator draws value lengths around them.
struct Thresholds {
    uint64_t ring_length { 0 };
    uint64_t max_record { 0 }; // Store::max_record()
    uint64_t log_budget { 0 }; // Store::log_budget(): a checkpoint at most this much log apart
    uint64_t capacity { 0 }; // Store::capacity(): NoSpace beyond
    uint32_t max_value { 0 }; // the longest value a one-op put of a 7-byte key commits
};

class CrashExecutor {
public:
    // Formats the emulated SSD once and measures the thresholds. Errors: the store's, for a
    // device size it refuses.
    static ErrorOr<std::unique_ptr<CrashExecutor>> create(const ExecutorOptions& options);
    ~CrashExecutor();

    // Whether a violation ends the run. Default: the first one does.
    using Stop = std::function<bool(const CutViolation&)>;
    // Runs `workload` from the formatted SSD and checks the cut points. Violations that
    // `stop` declines are recorded and the run goes on.
    Execution run(const abi::Workload& workload, const Stop& stop = {});

    const ExecutorOptions& options() const { return m_options; }
    const Thresholds& thresholds() const { return m_thresholds; }

    struct State;

private:
    explicit CrashExecutor(const ExecutorOptions& options);
    ExecutorOptions m_options;
    Thresholds m_thresholds;
    std::unique_ptr<State> m_state;
};

} // namespace ferros::fuzz
