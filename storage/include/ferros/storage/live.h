#pragma once
// The continuation after recovery (invariant R14 Live, docs/crash-model.md): a recovered store
// must keep working, not only mount and read back. Many crash bugs leave a store that mounts
// and reads correctly and breaks on the next write, so after recovery a fixed, deterministic
// workload churns a few keys of its own (values of a quarter record, a sync every few commits)
// until the head has gone once around the ring from where recovery left it and a commit made
// with the head past the ring's end has been accepted. By then the cleaner has passed every record the recovered store
// held, carrying the live ones forward, and commits have crossed the ring's end. The kernel runs it after its boot
// self-check
// (`ferros.until=live`); the host checker runs it on every distinct crash state and compares
// the result with the oracle extended with the continuation.

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/storage/store.h>

namespace ferros::storage {

// The continuation's own keys: 0xff "live" and a digit. Generated workloads use printable
// keys, so a recovered key is never one of these (the host checker does not rely on it).
constexpr size_t kLiveKeys = 4;
constexpr size_t kLiveKeyLength = 6;
ReadonlyBytes live_key(size_t index);
// Byte `i` of the value written by the continuation's commit `commit`: different commits leave
// different bytes, so a stale copy cannot pass for the latest one.
constexpr uint8_t live_value_byte(uint64_t commit, size_t i)
{
    return static_cast<uint8_t>(commit * 131 + i * 7 + (commit >> 8) + 1);
}

// Told of every change the continuation committed (the host checker extends its oracle), and
// of every commit it attempted, accepted or refused (the store server's heartbeat).
struct LiveObserver {
    void* context { nullptr };
    void (*put)(void* context, ReadonlyBytes key, ReadonlyBytes value) { nullptr };
    void (*remove)(void* context, ReadonlyBytes key) { nullptr };
    void (*attempted)(void* context) { nullptr };
};

struct LiveStats {
    uint64_t value_length { 0 };
    uint64_t commits { 0 }; // accepted
    uint64_t refused { 0 }; // refused with NoSpace (the loop goes on; the bound ends it)
    uint64_t syncs { 0 };
    uint64_t removed { 0 }; // recovered keys deleted to leave the live keys room (a full store)
    uint64_t added { 0 }; // live keys that did not exist before
    uint64_t start_head { 0 };
    uint64_t end_head { 0 };
    // The commit whose value each live key holds at the end (~0: none).
    uint64_t last_commit[kLiveKeys] { ~0ULL, ~0ULL, ~0ULL, ~0ULL };
};

// Runs the continuation on `store` (mounted). `scratch` must hold kMaxValueLength bytes.
// Errors: whatever a commit or sync returned other than a NoSpace refusal; NotReached when the
// head did not go once around the ring, or no commit past the ring's end was accepted, within
// the bound on commits (refusals count).
ErrorOr<LiveStats> run_live(Store& store, Bytes scratch, const LiveObserver& observer = {});

// Every live key the continuation committed reads back the value of its last commit in
// `stats`. Errors: Corrupt (a missing key, a wrong value or length), the store's.
ErrorOr<void> verify_live_keys(Store& store, const LiveStats& stats, Bytes scratch);

} // namespace ferros::storage
