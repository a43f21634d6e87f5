#pragma once
// A crash policy (DESIGN.md section 4, docs/crash-model.md): which images a power cut may
// leave, given the durable image and the writes still pending since the last FLUSH.
//
// Shared by the host emulated SSD (storage/host), the trace reconstruction library and the
// QEMU plugin, so its text form is part of repro tokens and must stay stable:
//   strict            no write cache: every write is durable when it is made
//   cache:UNIT[:K]    write-back cache of UNIT-byte units; any subset of pending units survives
//   torn:UNIT[:K]     as cache, and a pending unit may be torn: a prefix of its 8-byte words new
//   prefix            pending writes survive in program order, any prefix of them
// UNIT is 8, 64, 512 or 4096. K bounds exhaustive enumeration: a state space holds at most 2^K
// states; beyond that it is sampled (seeded). K defaults to kDefaultK when omitted.

#include <cstdint>
#include <ferros/base/error_or.h>
#include <string>
#include <string_view>

namespace ferros::crash {

struct Policy {
    enum class Kind { Strict, Cache, Torn, Prefix };

    // 2^8 = 256 states per cut: all subsets of up to 8 pending units, which covers a commit
    // record plus its anchor at UNIT 512 while keeping a campaign's per-boundary cost small.
    static constexpr uint32_t kDefaultK = 8;
    // 2^24 states per cut is far beyond what a checker can visit; larger K is a typo.
    static constexpr uint32_t kMaxK = 24;

    Kind kind { Kind::Strict };
    uint32_t unit { 8 }; // bytes; meaningful for Cache and Torn (8 otherwise)
    uint32_t k { kDefaultK }; // exhaustive while the state count is <= 2^k

    // Parses the text form above. Errors (ErrorCode::BadFormat, context says which part):
    // unknown kind, unit not in {8, 64, 512, 4096}, K outside 1..kMaxK, trailing fields.
    static ErrorOr<Policy> parse(std::string_view text);
    // The canonical text form: "strict", "prefix", "cache:UNIT:K", "torn:UNIT:K".
    // parse(to_string()) gives back an equal policy.
    std::string to_string() const;

    bool operator==(const Policy&) const = default;
};

} // namespace ferros::crash
