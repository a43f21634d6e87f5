#pragma once
// R14 Live on one crash state: recover it on a private copy, run the continuation
// (storage/live.h) until the ring has turned once more, and check that what the store then
// holds is the recovered state extended with the continuation, before and after a remount,
// and that every record between tail and head still verifies.
//
// With the durable image's hash given, a clean result is shared (docs/campaign.md): the
// continuation is a deterministic function of the bytes of the state it reads before it
// overwrites them, so a later state over the same durable image, with the same recovered
// contents and the same bytes wherever the first one read, gets the same clean verdict
// without a run.

#include <ferros/check/history.h>
#include <ferros/check/invariant.h>
#include <ferros/check/state_view.h>
#include <ferros/storage/options.h>
#include <string>
#include <string_view>
#include <vector>

namespace ferros::check {

// `view` is a ViewSsd over `state` that nothing wrote yet (the checker copies its own before
// its mount writes an anchor, which costs less than applying the changes again), `recovered`
// what the checker read back from the state (and compared with the oracle), `head` the ring
// position where its mount found the head.
void check_live(const StateView& state, ViewSsd& view, uint64_t head, const KeyValueState& recovered,
    const storage::StoreOptions& options, std::vector<Violation>& violations);

// A key as violation messages print it: printable bytes as they are, anything else (keys of
// a damaged store can hold any byte) as \xNN.
std::string printable_key(std::string_view key);

} // namespace ferros::check
