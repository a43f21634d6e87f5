#pragma once
// R2: an independent walk of the records between tail and head and of the index.
//
// With the durable image's hash given, the walk is incremental (docs/campaign.md): what this
// thread already verified on the same durable image (the records from a tail, the index from
// a root) is taken as verified for every state that changes none of the bytes it read, and
// only the rest is walked. The violations are the same as a full walk's, message for message.

#include <ferros/check/invariant.h>
#include <ferros/check/state_view.h>
#include <ferros/storage/store.h>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ferros::check {

// Every key the index holds and its value, in key order.
using TreeContents = std::vector<std::pair<std::string, std::vector<uint8_t>>>;

// With `contents` given and the walk of the index clean (no violation), `*contents` is set
// to the index's contents; otherwise it is left empty. A clean walk proves the index a proper
// B+tree whose every value reads back, so these are exactly what the store's own iteration
// and reads of the index give (checker.cpp combines them with the store's overlay).
void check_structure(ViewSsd& ssd, std::optional<uint64_t> durable_hash, const storage::StoreShape& shape,
    const storage::TreeRoot& root, std::vector<Violation>& violations,
    std::shared_ptr<const TreeContents>* contents = nullptr);

} // namespace ferros::check
