#pragma once
// Wrong answers (docs/cli.md, `ferros faults`): the runner reports what each get returned
// (GetAnswered: the value's length and CRC32C, or absent); the host knows what it should have
// been from the operations the client submitted before it. A fault must never make the server
// answer a value the store does not hold: the client cannot tell, unlike a failed call.

#include <cstdint>
#include <ferros/check/history.h>
#include <optional>
#include <string>
#include <vector>

namespace ferros::faults {

// The GetAnswered payload for a value (abi::get_answer_payload), or kGetAnswerAbsent for none.
uint64_t answer_payload(const std::optional<std::vector<uint8_t>>& value);

// Whether `payload` is a right answer to a get of `key` made when `history` holds the
// transactions submitted before it: the key's value (or absence) in the state after some
// prefix of them no shorter than the acknowledged ones. That is what R5 allows a recovered
// store to hold, so a get after a server restart is held to what the restart may keep.
bool answer_is_right(const check::History& history, const std::string& key, uint64_t payload);

} // namespace ferros::faults
