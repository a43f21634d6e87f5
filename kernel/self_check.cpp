#include <ferros/kernel/self_check.h>
#include <ferros/ring/mem.h>
#include <ferros/storage/limits.h>

namespace ferros::kernel {

ErrorOr<SelfCheckSummary> self_check(storage::Store& store, Bytes scratch)
{
    SelfCheckSummary summary;
    // Every record between tail and head first, as the host checker walks them (R2): a record
    // that no key reaches (an older value, a Pad, an old index node) must verify too.
    auto const walked = TRY(store.verify_records());
    summary.records = walked.records;
    summary.ring_bytes = walked.bytes;
    // Two key buffers used in turn: the key just found and the one before it.
    storage::KeyBuffer keys[2];
    size_t current = 0;
    size_t value_length = 0;
    uint64_t charge = 0;
    bool found = TRY(store.next_key(ReadonlyBytes(), true, keys[current], value_length));
    while (found) {
        const storage::KeyBuffer& key = keys[current];
        if (summary.keys > 0) {
            const storage::KeyBuffer& previous = keys[current ^ 1];
            if (ring::compare_keys(previous.bytes, previous.length, key.bytes, key.length) >= 0)
                return Error(ErrorCode::Corrupt, "keys do not strictly increase");
        }
        size_t const length = TRY(store.get(key.view(), scratch));
        if (length != value_length)
            return Error(ErrorCode::Corrupt, "a value's length differs from its index entry");
        ++summary.keys;
        summary.bytes += length;
        charge += storage::live_charge(key.length, length);
        current ^= 1;
        found = TRY(store.next_key(key.view(), false, keys[current], value_length));
    }
    // The store admits a commit only while the live charge stays within its capacity (what
    // keeps cleaning able to progress), and recovers the charge from its anchor and log: both
    // must agree with what the keys hold.
    if (charge != store.live_charge())
        return Error(ErrorCode::Corrupt, "the store's live charge is not what its keys hold");
    if (charge > store.capacity())
        return Error(ErrorCode::Corrupt, "the live charge exceeds the store's capacity");
    return summary;
}

} // namespace ferros::kernel
