#pragma once
// Host-side workload writing: a builder for the binary format (docs/syscalls.md), the seeded
// generator behind `ferros workload gen`, and the text form printed by `ferros workload show`.

#include <cstdint>
#include <ferros/abi/workload.h>
#include <string>
#include <string_view>
#include <vector>

namespace ferros::workload {

class Builder {
public:
    Builder& put(std::string_view key, std::string_view value);
    Builder& put_seeded(std::string_view key, uint32_t length, uint64_t seed);
    Builder& del(std::string_view key);
    Builder& get(std::string_view key);
    Builder& begin();
    Builder& commit();
    Builder& sync();
    // The finished file: header (with checksums) and body. `seed` is informational.
    std::vector<uint8_t> finish(uint64_t seed = 0) const;
    uint32_t op_count() const { return m_ops; }

private:
    void key(std::string_view key);
    std::vector<uint8_t> m_body;
    uint32_t m_ops { 0 };
};

// One stretch of a generated workload: the shape of its steps and the keys they touch. A step is
// a single operation or a transaction; after each step, a sync with sync_percent chance.
struct Phase {
    const char* name;
    uint32_t share; // percent of the workload's operations (a profile's phases sum to 100)
    uint32_t put_percent; // of single-op steps
    uint32_t delete_percent;
    uint32_t get_percent;
    uint32_t txn_percent; // chance a step is a transaction instead
    uint32_t txn_min, txn_max; // ops in a transaction
    uint32_t sync_percent; // chance of a sync after a step
    uint32_t value_min, value_max;
    uint32_t keys; // size of the key space: keys PREFIX000 .. PREFIX(keys-1)
    const char* key_prefix;
};

// A profile is its phases, run in order in one workload from one seed: a single phase for the
// plain profiles, several for a mix that puts the store in more situations in one run
// (docs/campaign.md, "Profiles").
struct Profile {
    const char* name;
    const char* description;
    std::vector<Phase> phases;
};

// Where each phase of `profile` starts and ends in a workload of `ops` operations: phase i
// covers operations [first, end) (the last ends before the workload's final sync).
struct PhaseSpan {
    const Phase* phase;
    uint32_t first, end;
};
std::vector<PhaseSpan> phase_spans(const Profile& profile, uint32_t ops);

// The profiles, in the order `--help` lists them; the first is the default.
const std::vector<Profile>& profiles();
const Profile* find_profile(std::string_view name);

// A deterministic workload: the same (seed, ops, profile) gives the same bytes everywhere.
// It ends with a sync and never leaves a transaction open.
std::vector<uint8_t> generate(uint64_t seed, uint32_t ops, const Profile& profile);

// One line per op: `INDEX OP [key=K] [len=N] [seed=S|value=HEX]`.
std::string to_text(const abi::Workload& workload);

} // namespace ferros::workload
