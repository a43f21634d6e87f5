#pragma once
// What identifies a finding: the violated invariant and the kinds of the operations around
// the cut (the op before the one in flight, and the one in flight, or "end" for a cut after
// the last). Two inputs with one signature are taken for one bug; the fuzzer reports each
// signature once (the target is told the known ones) and `ferros fuzz` keeps one minimised
// workload per signature.

#include <ferros/abi/workload.h>
#include <ferros/check/invariant.h>
#include <ferros/fuzz/crash_executor.h>
#include <optional>
#include <string>
#include <string_view>

namespace ferros::fuzz {

struct Signature {
    check::Invariant invariant { check::Invariant::R1 };
    std::string before; // kind of the op before the one in flight, or "start"
    std::string during; // kind of the op in flight at the cut, or "end"

    // "R3:put>sync": one line of the known-signatures file, the key findings are deduplicated by.
    std::string key() const;
    // "R3-put-sync": a file-system name.
    std::string file_name() const;
    bool operator==(const Signature&) const = default;
};

Signature signature_of(const abi::Workload& workload, const CutViolation& violation);
// Parses key(). Nothing for text that is not one.
std::optional<Signature> parse_signature(std::string_view key);

// One line: "R3 (durable) at cut 17 (device operation 17, during op 5 sync), state 3: MESSAGE".
std::string describe(const abi::Workload& workload, const CutViolation& violation);

} // namespace ferros::fuzz
