// The continuation after recovery (R14): see live.h.
#include <ferros/storage/live.h>

namespace ferros::storage {

namespace {

    constexpr uint8_t kLiveKeyBytes[kLiveKeys][kLiveKeyLength] = {
        { 0xff, 'l', 'i', 'v', 'e', '0' },
        { 0xff, 'l', 'i', 'v', 'e', '1' },
        { 0xff, 'l', 'i', 'v', 'e', '2' },
        { 0xff, 'l', 'i', 'v', 'e', '3' },
    };

    // Values shorter than this would make a lap take too many commits: the continuation
    // deletes recovered keys to make room for its own instead (a store filled to capacity).
    constexpr uint64_t kMinLiveValue = 64;
    // A sync every few commits: the continuation makes its own data durable as it goes, and
    // most of its commits still share a flush (as a workload's do).
    constexpr uint64_t kSyncEvery = 4;

    // live_value_byte(commit, i) for i in [0, length): the continuation makes a value for every
    // commit, and a byte loop was a tenth of the host checker's time. Byte i + 8 is byte i plus
    // 56 (mod 256), added to each byte of a word without carries, and byte i + 256 is byte i:
    // the first 256 bytes are made a word at a time and the rest copied from them.
    void fill_live_value(uint64_t commit, Bytes out, uint64_t length)
    {
        constexpr uint64_t kPeriod = 256;
        static_assert(live_value_byte(300, 5) == live_value_byte(300, 5 + kPeriod)
            && live_value_byte(300, 13) == static_cast<uint8_t>(live_value_byte(300, 5) + 56));
        uint64_t const made = length < kPeriod ? length : kPeriod;
        uint64_t i = 0;
        if (made >= 8) {
            uint64_t word = 0;
            for (size_t b = 0; b < 8; ++b)
                word |= uint64_t { live_value_byte(commit, b) } << (8 * b);
            constexpr uint64_t kStep = 0x3838383838383838ULL; // 56 in every byte
            constexpr uint64_t kHigh = 0x8080808080808080ULL;
            for (; i + 8 <= made; i += 8) {
                store_le64(out.data() + i, word);
                word = ((word & ~kHigh) + (kStep & ~kHigh)) ^ ((word ^ kStep) & kHigh);
            }
        }
        for (; i < made; ++i)
            out[i] = live_value_byte(commit, i);
        for (; i < length; i += kPeriod)
            __builtin_memcpy(out.data() + i, out.data(), length - i < kPeriod ? length - i : kPeriod);
    }

    bool is_live_key(ReadonlyBytes key)
    {
        for (auto const& live : kLiveKeyBytes)
            if (key.size() == kLiveKeyLength && __builtin_memcmp(key.data(), live, kLiveKeyLength) == 0)
                return true;
        return false;
    }

    // The charge the live keys hold now, and how many of them exist.
    ErrorOr<uint64_t> live_keys_charge(Store& store, Bytes scratch, uint64_t& existing)
    {
        uint64_t charge = 0;
        existing = 0;
        for (size_t k = 0; k < kLiveKeys; ++k) {
            auto got = store.get(live_key(k), scratch);
            if (got.is_error()) {
                if (got.error().code() == ErrorCode::NotFound)
                    continue;
                return got.release_error();
            }
            charge += live_charge(kLiveKeyLength, got.value());
            ++existing;
        }
        return charge;
    }

    // The longest value every live key can hold at once within the capacity, given what the
    // store holds besides them.
    uint64_t fitting_value(const Store& store, uint64_t live_keys_charge)
    {
        uint64_t const others = store.live_charge() - live_keys_charge;
        if (others >= store.capacity())
            return 0;
        uint64_t const share = (store.capacity() - others) / kLiveKeys;
        uint64_t const overhead = live_charge(kLiveKeyLength, 0);
        return share > overhead ? share - overhead : 0;
    }

    // Deletes the first recovered key (in key order) that is not a live key: one commit.
    ErrorOr<bool> remove_one(Store& store, const LiveObserver& observer)
    {
        KeyBuffer key;
        size_t length = 0;
        bool found = TRY(store.next_key(ReadonlyBytes(), true, key, length));
        while (found && is_live_key(key.view())) {
            KeyBuffer const previous = key;
            found = TRY(store.next_key(previous.view(), false, key, length));
        }
        if (!found)
            return false;
        TRY(store.begin());
        TRY(store.remove(key.view()));
        TRY(store.commit());
        if (observer.remove)
            observer.remove(observer.context, key.view());
        return true;
    }

} // namespace

ReadonlyBytes live_key(size_t index) { return ReadonlyBytes(kLiveKeyBytes[index % kLiveKeys], kLiveKeyLength); }

ErrorOr<LiveStats> run_live(Store& store, Bytes scratch, const LiveObserver& observer)
{
    if (scratch.size() < kMaxValueLength)
        return Error(ErrorCode::InvalidArgument, "the continuation's scratch must hold the largest value");
    LiveStats stats;
    uint64_t const ring = store.ring_length();
    stats.start_head = store.shape().head.value();

    // A value of a quarter record: a lap takes a few dozen commits on any device. Shorter when
    // the store is nearly full, and recovered keys go when even short values do not fit.
    uint64_t existing = 0;
    uint64_t value = store.max_record() / 4;
    if (value > kMaxValueLength)
        value = kMaxValueLength;
    while (true) {
        uint64_t const fits = fitting_value(store, TRY(live_keys_charge(store, scratch, existing)));
        if (fits >= value)
            break;
        if (fits >= kMinLiveValue) {
            value = fits;
            break;
        }
        if (!TRY(remove_one(store, observer)))
            return Error(ErrorCode::NotReached, "the store is full of the continuation's own keys");
        ++stats.removed;
    }
    stats.value_length = value;

    // Enough commits for several laps of this value's records: a store that keeps working turns
    // the ring well within it, whatever it relocates on the way.
    uint64_t const footprint = ring::record_footprint(
        ring::kRecordHeaderSize + kTxnPayloadHeaderSize + kTxnOpHeaderSize + kLiveKeyLength + value);
    uint64_t const bound = 4 * ring / footprint + 64;
    bool present[kLiveKeys] = {};
    for (size_t k = 0; k < kLiveKeys; ++k) {
        auto got = store.get(live_key(k), scratch);
        if (got.is_error() && got.error().code() != ErrorCode::NotFound)
            return got.release_error();
        present[k] = !got.is_error();
    }

    // Done when the head has gone once around the ring and a commit made with the head already
    // past the ring's end has been accepted (the first lap boundary after the start).
    uint64_t const boundary = (stats.start_head / ring + 1) * ring;
    bool past_end = false;
    uint64_t attempt = 0;
    while (store.shape().head.value() < stats.start_head + ring || !past_end) {
        if (attempt == bound) {
            // Refused commits still move the head when their cleaning passes carry data
            // forward: a head that went around can still be a store that takes nothing.
            if (store.shape().head.value() < stats.start_head + ring)
                return Error(ErrorCode::NotReached, "the head did not go once around the ring within the continuation");
            return Error(ErrorCode::NotReached,
                "the ring turned, but no commit past the ring's end was accepted within the continuation");
        }
        size_t const k = attempt % kLiveKeys;
        fill_live_value(attempt, scratch, value);
        bool const wrapped = store.shape().head.value() >= boundary;
        TRY(store.begin());
        TRY(store.put(live_key(k), ReadonlyBytes(scratch.data(), value)));
        auto committed = store.commit();
        if (observer.attempted)
            observer.attempted(observer.context);
        if (committed.is_error()) {
            if (committed.error().code() != ErrorCode::NoSpace)
                return committed.release_error();
            ++stats.refused;
        } else {
            ++stats.commits;
            past_end |= wrapped;
            stats.last_commit[k] = attempt;
            stats.added += !present[k];
            present[k] = true;
            if (observer.put)
                observer.put(observer.context, live_key(k), ReadonlyBytes(scratch.data(), value));
            if (stats.commits % kSyncEvery == 0) {
                TRY(store.sync());
                ++stats.syncs;
            }
        }
        ++attempt;
    }
    TRY(store.sync());
    ++stats.syncs;
    stats.end_head = store.shape().head.value();
    return stats;
}

ErrorOr<void> verify_live_keys(Store& store, const LiveStats& stats, Bytes scratch)
{
    for (size_t k = 0; k < kLiveKeys; ++k) {
        uint64_t const commit = stats.last_commit[k];
        if (commit == ~0ULL)
            continue;
        auto got = store.get(live_key(k), scratch);
        if (got.is_error()) {
            if (got.error().code() == ErrorCode::NotFound)
                return Error(ErrorCode::Corrupt, "a key the continuation committed is missing");
            return got.release_error();
        }
        if (got.value() != stats.value_length)
            return Error(ErrorCode::Corrupt, "a key the continuation committed has the wrong length");
        for (uint64_t i = 0; i < stats.value_length; ++i)
            if (scratch[i] != live_value_byte(commit, i))
                return Error(ErrorCode::Corrupt, "a key the continuation committed reads back a wrong value");
    }
    return {};
}

} // namespace ferros::storage
