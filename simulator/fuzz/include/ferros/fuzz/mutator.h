#pragma once
// The crash fuzzer's structure-aware mutator and crossover (libFuzzer's custom mutator): they
// edit programs, never bytes, so every input they make is a valid workload file. Edits insert,
// delete, duplicate and swap operations, open and close transactions, place syncs, draw keys
// from a small pool so that operations collide, and draw value lengths around the store's
// thresholds on the fuzzed device (a cache unit, the longest value a record holds, beyond it).
// Randomness comes from the project's PRNG seeded with libFuzzer's per-call seed.

#include <cstdint>
#include <ferros/base/rng.h>
#include <ferros/fuzz/crash_executor.h>
#include <ferros/fuzz/program.h>
#include <string>

namespace ferros::fuzz {

struct MutatorOptions {
    Thresholds thresholds;
    size_t max_ops { 64 }; // programs stay this short: every op multiplies the cut points
    size_t key_pool { 8 }; // keys "key-000" .. : few, so that puts, deletes and gets collide
};

enum class Edit : uint8_t {
    InsertOp,
    DeleteOps,
    DuplicateOps,
    SwapOps,
    OpenTransaction, // wraps a run of ops in begin .. commit
    CloseTransaction, // removes a begin or a commit (unbalancing is allowed: the calls refuse)
    PlaceSync,
    ChangeKey,
    ChangeValueLength,
    ChangeKind,
    // A run of long puts over a few keys of the pool: enough of them turn the ring, and the
    // keys outside the run stay live at its tail for the cleaner to carry forward.
    InsertBurst,
    Count,
};
const char* edit_name(Edit edit);

// The pool's i-th key, spelled as the generator spells keys.
std::string pool_key(size_t index);
// A value length drawn around the thresholds (0, tiny, a cache unit, the largest value a
// record holds and just beyond it, fractions of it).
uint32_t draw_value_length(Rng& rng, const Thresholds& thresholds);

// Applies one to three edits. The result has at most options.max_ops ops, and no seeded value
// much longer than the longest a record holds (longer ones are folded to just beyond it: the
// store refuses them alike, and making them costs time).
void mutate(Program& program, Rng& rng, const MutatorOptions& options);
// Applies one edit of the given kind (tests name it); false if it could not apply.
bool apply_edit(Program& program, Edit edit, Rng& rng, const MutatorOptions& options);
// A child of two programs: a prefix of one and a suffix of the other, or a run of ops of one
// spliced into the other.
Program cross_over(const Program& first, const Program& second, Rng& rng, const MutatorOptions& options);
// Drops ops (from the end, then anywhere) until the encoded program fits `max_size` bytes.
void fit(Program& program, size_t max_size, Rng& rng);

} // namespace ferros::fuzz
