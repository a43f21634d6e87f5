#pragma once
// The crash fuzzer's seeds: workloads from the generator's profiles (abi/host builder.cpp),
// short enough that every cut point of each is checked.

#include <cstdint>
#include <string>
#include <vector>

namespace ferros::fuzz {

struct Seed {
    std::string name; // "txn-3": profile and seed
    std::vector<uint8_t> bytes; // a workload file
};

// For each profile, `per_profile` workloads of `ops` operations (generator seeds 1..per_profile).
std::vector<Seed> profile_seeds(uint32_t ops = 16, uint32_t per_profile = 4);

} // namespace ferros::fuzz
