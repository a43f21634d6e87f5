#pragma once
// Where a value lives: inside a Txn record of the ring.

#include <ferros/ring/layout.h>
#include <stdint.h>

namespace ferros::storage {

struct ValueRef {
    ring::RingPosition record; // the Txn record holding the value
    uint32_t offset { 0 }; // of the value bytes from the start of the record
    uint32_t length { 0 };

    bool operator==(const ValueRef&) const = default;
};

} // namespace ferros::storage
