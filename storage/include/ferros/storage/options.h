#pragma once
// Run-time options of a store.

#include <ferros/storage/seeded_bug.h>

namespace ferros::storage {

struct StoreOptions {
    // A seeded bug to switch on (tests and campaigns only); None in every real use.
    SeededBug bug { SeededBug::None };
};

} // namespace ferros::storage
