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

struct Profile {
    const char* name;
    const char* description;
    uint32_t put_percent; // of non-transaction steps
    uint32_t delete_percent;
    uint32_t get_percent;
    uint32_t txn_percent; // chance a step is a transaction instead
    uint32_t txn_min, txn_max; // ops in a transaction
    uint32_t sync_percent; // chance of a sync after a step
    uint32_t value_min, value_max;
    uint32_t keys; // size of the key space
};

// The profiles, in the order `--help` lists them; the first is the default.
const std::vector<Profile>& profiles();
const Profile* find_profile(std::string_view name);

// A deterministic workload: the same (seed, ops, profile) gives the same bytes everywhere.
// It ends with a sync and never leaves a transaction open.
std::vector<uint8_t> generate(uint64_t seed, uint32_t ops, const Profile& profile);

// One line per op: `INDEX OP [key=K] [len=N] [seed=S|value=HEX]`.
std::string to_text(const abi::Workload& workload);

} // namespace ferros::workload
