#pragma once
// The project's one PRNG: xoshiro256** (Blackman and Vigna, 2018), seeded by expanding a
// 64-bit seed with splitmix64. Everything a seed drives (workloads, sampled crash states,
// fuzz-independent random tests) draws from this generator, so that a seed names one run
// on every machine and compiler. Never use std:: distributions, wall clock or addresses.
//
// Derived values are specified here too, because they are part of what a seed means:
//   below(n)    Lemire's multiply-shift with rejection: uniform in [0, n), n > 0.
//   chance(p,q) below(q) < p.
//   fork(tag)   a child generator seeded by splitmix64(next() ^ tag), for independent streams.

#include <stdint.h>

namespace ferros {

constexpr uint64_t splitmix64(uint64_t& state)
{
    state += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Rng {
public:
    constexpr explicit Rng(uint64_t seed)
    {
        uint64_t sm = seed;
        for (auto& word : m_state)
            word = splitmix64(sm);
    }

    constexpr uint64_t next()
    {
        uint64_t const result = rotl(m_state[1] * 5, 7) * 9;
        uint64_t const t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    // Uniform in [0, bound). bound must be > 0; bound == 0 yields 0.
    constexpr uint64_t below(uint64_t bound)
    {
        if (bound == 0)
            return 0;
        unsigned __int128 m = static_cast<unsigned __int128>(next()) * bound;
        auto low = static_cast<uint64_t>(m);
        if (low < bound) {
            uint64_t const threshold = -bound % bound;
            while (low < threshold) {
                m = static_cast<unsigned __int128>(next()) * bound;
                low = static_cast<uint64_t>(m);
            }
        }
        return static_cast<uint64_t>(m >> 64);
    }

    // Uniform in [low, high] (inclusive).
    constexpr uint64_t between(uint64_t low, uint64_t high) { return low + below(high - low + 1); }

    // True with probability p/q.
    constexpr bool chance(uint64_t p, uint64_t q) { return below(q) < p; }

    constexpr Rng fork(uint64_t tag)
    {
        uint64_t sm = next() ^ tag;
        return Rng(splitmix64(sm));
    }

private:
    static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_state[4] {};
};

} // namespace ferros
