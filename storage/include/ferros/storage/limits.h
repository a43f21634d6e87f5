#pragma once
// The store's documented limits (docs/storage-format.md). Anything larger is refused with
// TooBig before it changes anything.

#include <stddef.h>
#include <stdint.h>

namespace ferros::storage {

constexpr size_t kMinKeyLength = 1;
constexpr size_t kMaxKeyLength = 255;
constexpr size_t kMaxValueLength = 64 * 1024;
// Operations in one transaction: bounded so that a transaction always fits the overlay.
constexpr size_t kMaxTxnOps = 64;
// A transaction is one record of at most min(68 KiB, ring length / 16) (Store::max_record()):
// values of the full 64 KiB need a device of at least 1.1 MiB.
// Bytes of one operation inside a Txn record: kind, key length, reserved, value length.
constexpr size_t kTxnOpHeaderSize = 8;
constexpr size_t kTxnPayloadHeaderSize = 8;

// Index nodes are records of at most this size.
constexpr uint64_t kMaxNodeRecord = 4096;
constexpr uint32_t kMaxTreeLevels = 12;

// The log not yet folded into the index is at most this long (smaller on small devices):
// mount replays at most this much, whatever the store's size.
constexpr uint64_t kLogBudget = 1024 * 1024;

// The space a live key is charged: its value, its key twice (record and index) and a bound on
// per-key record and index overhead. The store admits data while the charge stays under 60%
// of the ring less the log budget, which leaves room for cleaning and checkpoints at any
// fill (Store::capacity()).
constexpr uint64_t kPerKeyOverhead = 96;
constexpr uint64_t live_charge(uint64_t key_length, uint64_t value_length)
{
    return value_length + 2 * key_length + kPerKeyOverhead;
}

} // namespace ferros::storage
