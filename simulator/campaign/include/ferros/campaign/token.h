#pragma once
// A repro token: one copy-pasteable string naming everything a failure needs (DESIGN.md
// section 7). docs/campaign.md specifies the text:
//
//   ferros1.k<kernel>.w<workload>.<source>.i<image size>.<policy>.s<seed>.b<boundary>.x<state>
//          .<bug>.r<nested>.c<crc>
//
//   kernel, workload   XXH3-64 of the kernel ELF and the workload file, 16 hex digits
//   source             g<seed>:<ops>:<profile> for a generated workload, f for a file
//   image size         the blank SSD the traced run started from, hex bytes
//   policy             crash policy text (docs/crash-model.md)
//   seed               seed of sampled state spaces
//   boundary, state    the cut: boundary b and the index of the state the policy allows there
//   bug                the seeded bug the run was built with ("none" for the real store)
//   nested             "-" or <b2>:<x2>: a second cut at boundary b2, state x2, of the
//                      recovery boot from that state (depth 2)
//   crc                CRC32C of everything before ".c", 8 hex digits

#include <cstdint>
#include <ferros/base/error_or.h>
#include <optional>
#include <string>

namespace ferros::campaign {

struct GeneratedWorkload {
    uint64_t seed { 0 };
    uint32_t ops { 0 };
    std::string profile;
    bool operator==(const GeneratedWorkload&) const = default;
};

struct NestedCut {
    uint64_t boundary { 0 };
    uint64_t state { 0 };
    bool operator==(const NestedCut&) const = default;
};

struct ReproToken {
    uint64_t kernel_hash { 0 };
    uint64_t workload_hash { 0 };
    std::optional<GeneratedWorkload> generated; // nothing: the workload came from a file
    uint64_t image_size { 0 };
    std::string policy;
    uint64_t seed { 0 };
    uint64_t boundary { 0 };
    uint64_t state { 0 };
    std::string bug { "none" };
    std::optional<NestedCut> nested;

    std::string encode() const;
    // Errors: BadFormat (shape), Corrupt (checksum), Unsupported (another token version).
    static ErrorOr<ReproToken> decode(const std::string& text);
    bool operator==(const ReproToken&) const = default;
};

} // namespace ferros::campaign
