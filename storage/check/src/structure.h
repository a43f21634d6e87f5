#pragma once
// R2: an independent walk of the records between tail and head and of the index.

#include <ferros/check/invariant.h>
#include <ferros/ring/ssd.h>
#include <ferros/storage/store.h>
#include <vector>

namespace ferros::check {

void check_structure(ring::Ssd& ssd, const storage::StoreShape& shape, const storage::TreeRoot& root,
    std::vector<Violation>& violations);

} // namespace ferros::check
