#pragma once
// The self-check after mount (invariant R2, DESIGN.md section 5): every record between tail and
// head verified as the host checker verifies them (Store::verify_records), then every key in key
// order with every value read back through the store. Its verdict is a marker the campaign
// counts; a failure ends the boot with ExitValue::SelfCheckFailed.

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/storage/store.h>
#include <stdint.h>

namespace ferros::kernel {

struct SelfCheckSummary {
    uint64_t records { 0 }; // between tail and head, Pads included
    uint64_t ring_bytes { 0 }; // from tail to head
    uint64_t keys { 0 };
    uint64_t bytes { 0 }; // value bytes read back
};

// Walks `store` (mounted). `scratch` must hold the largest value (abi::kMaxValueLength).
// Errors: Corrupt (a record between tail and head that does not verify, keys not strictly
// increasing, a value whose length differs from what the index says, a live charge that is not
// the sum of the keys' charges or exceeds the store's capacity), and whatever the store reports
// (Corrupt for a bad checksum, device errors).
ErrorOr<SelfCheckSummary> self_check(storage::Store& store, Bytes scratch);

} // namespace ferros::kernel
