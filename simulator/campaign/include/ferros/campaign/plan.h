#pragma once
// A campaign's plan: its validated arguments and inputs (workload bytes, blank image, kernel),
// and the identity that an output directory must match to be resumed.

#include <cstdint>
#include <ferros/abi/workload.h>
#include <ferros/base/failure.h>
#include <ferros/campaign/token.h>
#include <ferros/crash/policy.h>
#include <ferros/storage/seeded_bug.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ferros::campaign {

struct CampaignOptions {
    std::optional<uint64_t> seed;
    std::string workload_file;
    // The default workload turns the default 64 KiB ring about five times, cleans, and runs
    // near full (docs/campaign.md, "Profiles").
    uint32_t ops { 1000 };
    std::string profile { "ring" };
    std::string policy { "cache:512:4" };
    unsigned jobs { 0 }; // 0: one per core
    std::string reboot { "sample:4" };
    int depth { 1 };
    std::string out { "campaign-out" };
    bool json { false };
    std::string bug { "none" };
    bool list_bugs { false };
    std::string shard;
    uint64_t ssd_size { 64 * 1024 };
    uint64_t boot_budget { 2'000'000 };
    std::string kernel;
    double timeout { 600 };
    // Verify every crash state from scratch instead of reusing what was verified on its
    // durable image (check::CheckOptions::full_check): the same verdicts, slower.
    bool full_check { false };
    // Leave out R14's continuation after recovery (check::CheckOptions::live): a lap of the ring
    // per state that shares no run with another costs the ring's length, which on a store of
    // many MiB dominates the campaign (docs/campaign.md, "Incremental checks").
    bool no_live { false };
    // Where a reboot on a crash state ends (RebootEnd, phases.h): "live" (default: past ready,
    // once the store ran R14's continuation in the guest; about 3.5 times a reboot to ready on
    // the default store) or "ready". --no-live makes it ready.
    std::string reboot_until { "live" };
};

enum class RebootMode { None, All, Sample };

struct Plan {
    CampaignOptions options;
    uint64_t seed { 1 };
    crash::Policy policy;
    storage::SeededBug bug { storage::SeededBug::None };
    RebootMode reboot_mode { RebootMode::Sample };
    uint64_t reboot_sample { 4 };
    uint32_t shard_index { 0 };
    uint32_t shard_count { 1 };
    unsigned jobs { 1 };
    std::string kernel;
    uint64_t kernel_hash { 0 };
    std::vector<uint8_t> workload_bytes;
    uint64_t workload_hash { 0 };
    std::optional<GeneratedWorkload> generated;
    // The SSD the traced run starts from: an empty store, formatted by the host build of the
    // same store code (a never-formatted device is a first boot, not a crash state).
    std::vector<uint8_t> initial_image;
    std::string out_dir;

    std::string path(const std::string& name) const { return out_dir + "/" + name; }
    // The workload the plan's bytes hold (make_plan checked that they parse).
    abi::Workload workload() const;
    std::map<std::string, std::string> identity() const;
    // A token with everything but the cut filled in.
    ReproToken token() const;
    // Extra kernel command-line tokens (the seeded bug).
    std::vector<std::string> kernel_args() const;
};

// The most memory a campaign on a store of `ssd_size` bytes with `jobs` checker threads uses:
// a few copies of the device (the plan's image, the reconstruction's durable image, a
// rebooted state and the host recovery's copies of it), per job the store's buffers and a
// reboot worker's guest RAM (mapped by the host; bounded by 128 MiB plus twice the device) and
// the private copy of a state R14's continuation writes (one device), and a
// fixed part for the trace, the results and the states' hashes. It does not depend on the
// number of states (docs/campaign.md, "Incremental checks").
uint64_t memory_estimate(uint64_t ssd_size, unsigned jobs);

// Validates the options and prepares the output directory: writes workload.bin and
// initial.img there, checks an existing directory belongs to this campaign. Errors:
// InvalidArgument/BadFormat/NotFound (bad options or inputs), Mismatch (the directory holds
// another campaign), Unavailable (the built kernel is missing), NoMemory (memory_estimate
// exceeds the memory the machine has available: said before anything runs).
Result<Plan> make_plan(const CampaignOptions& options);

} // namespace ferros::campaign
