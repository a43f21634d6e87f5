#include <ferros/fuzz/seeds.h>
#include <ferros/workload/builder.h>

namespace ferros::fuzz {

std::vector<Seed> profile_seeds(uint32_t ops, uint32_t per_profile)
{
    std::vector<Seed> seeds;
    for (auto const& profile : workload::profiles()) {
        for (uint32_t seed = 1; seed <= per_profile; ++seed)
            seeds.push_back(
                { std::string(profile.name) + "-" + std::to_string(seed), workload::generate(seed, ops, profile) });
    }
    return seeds;
}

} // namespace ferros::fuzz
