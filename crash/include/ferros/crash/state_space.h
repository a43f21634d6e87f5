#pragma once
// The crash states a policy allows at one cut: the durable image plus some of the pending
// writes. docs/crash-model.md specifies the numbering; in short:
//   state 0            nothing pending survived (the durable image itself)
//   state count()-1    everything pending survived (what reads saw before the cut)
//   strict             1 state: everything survived (there is no cache to lose)
//   prefix             count = writes + 1; state i = the first i pending writes
//   cache              units = UNIT-aligned blocks touched by pending writes, in offset order;
//                      a surviving unit holds its final cached content (all pending writes to
//                      it applied in program order). Exhaustive when 2^units <= 2^K: bit u of i
//                      says unit u survived.
//   torn               each unit has W+1 states (W = UNIT/8 words): digit 0 = old, W = new,
//                      t in 1..W-1 = its first t words new (a write cut mid-unit). Exhaustive
//                      when (W+1)^units <= 2^K: digit u of i in base W+1.
//   sampled            when the exhaustive count exceeds 2^K, count = 2^K; states 0 and last
//                      as above, state i in between draws each unit's digit from
//                      Rng(seed ^ (i * 0x9E3779B97F4A7C15)) in unit order (below(2) for cache,
//                      below(W+1) for torn).
// Deterministic: the same inputs and seed give the same states on every machine.

#include <cstdint>
#include <ferros/base/error_or.h>
#include <ferros/crash/pending_write.h>
#include <ferros/crash/policy.h>
#include <span>
#include <unordered_map>
#include <vector>

namespace ferros::crash {

// The hash deltas of cache and torn units already met over one durable image, by the unit's
// offset and content: the cuts between two FLUSHes share most of their pending units, and a
// unit's deltas cost two word hashes per changed word. The owner of the durable image keeps
// one and clears it whenever that image changes (WindowState does at each FLUSH).
class UnitDeltaCache {
public:
    void clear() { m_entries.clear(); }

private:
    friend class StateSpace;
    struct Entry {
        uint64_t offset;
        std::vector<uint8_t> content;
        std::vector<uint64_t> deltas; // deltas[t]: the first t words new
    };
    std::unordered_map<uint64_t, Entry> m_entries; // by bytes_hash(content, offset)
};

class StateSpace {
public:
    // `durable` must outlive the StateSpace (it is not copied: images can be large).
    // Errors: OutOfRange if a pending write does not lie inside `durable`.
    static ErrorOr<StateSpace> create(
        const Policy& policy, std::span<const uint8_t> durable, std::span<const PendingWrite> pending, uint64_t seed);
    // The same with image_hash(durable) given: a caller that keeps the durable image's hash up
    // to date (WindowState) spares hashing the whole image at every cut, which would make a
    // cut's cost grow with the device.
    // `cache`, if given, must have been cleared whenever `durable` changed.
    static ErrorOr<StateSpace> create(const Policy& policy, std::span<const uint8_t> durable, uint64_t durable_hash,
        std::span<const PendingWrite> pending, uint64_t seed, UnitDeltaCache* cache = nullptr);

    // Number of distinct state indices (>= 1). States may still coincide in content.
    uint64_t count() const { return m_count; }
    // True when every state the policy allows is enumerated (no sampling).
    bool exhaustive() const { return m_exhaustive; }
    // Number of pieces the policy chooses among (units, or writes for prefix/strict).
    size_t piece_count() const { return m_pieces.size(); }

    // Writes state i onto `image`, which must hold the durable image (same size). Only the
    // bytes pending writes touch are written, so no allocation and no full copy per state.
    void apply(uint64_t index, std::span<uint8_t> image) const;
    // Undoes apply(index, image): copies the durable bytes back over what state i touched.
    void restore(uint64_t index, std::span<uint8_t> image) const;
    // What apply(index, image) writes, without an image: the byte ranges state i takes new,
    // in the order apply() writes them (a later range wins where two overlap, which only
    // prefix and strict writes can). The spans point into this StateSpace.
    struct Change {
        uint64_t offset;
        std::span<const uint8_t> bytes;
    };
    void changes(uint64_t index, std::vector<Change>& out) const;
    // image_hash() of state i, computed from the durable hash and the changed words only.
    uint64_t hash(uint64_t index) const;
    uint64_t durable_hash() const { return m_durable_hash; }

private:
    // A unit (cache/torn) or a write (prefix/strict): a byte range and its new bytes.
    struct Piece {
        uint64_t offset;
        uint32_t length;
        size_t data; // index into m_bytes of `length` new bytes
        // Hash delta of the first t words being new, t = 0..words (cache/torn), or of the
        // image after pieces 0..this applied relative to durable (prefix/strict).
        size_t delta; // index into m_deltas
    };

    StateSpace() = default;
    // Calls f(piece, t) for each piece in order, t = how many of its 8-byte words state
    // `index` takes new (0 = none; words_of(piece) = all). Prefix/strict: t is 0 or all.
    template<typename F>
    void for_each_choice(uint64_t index, F&& f) const;
    uint32_t words_of(const Piece& piece) const { return (piece.length + 7) / 8; }
    uint32_t radix(const Piece& piece) const;

    Policy m_policy;
    std::span<const uint8_t> m_durable;
    uint64_t m_seed { 0 };
    uint64_t m_count { 1 };
    bool m_exhaustive { true };
    uint64_t m_durable_hash { 0 };
    std::vector<Piece> m_pieces;
    std::vector<uint8_t> m_bytes;
    std::vector<uint64_t> m_deltas;
    std::vector<uint64_t> m_place; // mixed-radix place value of each piece (exhaustive)
};

} // namespace ferros::crash
