#pragma once
// Recovery at boot: mount the store, or format it when the device holds no store yet (blank,
// or a format that a cut interrupted), then self-check it. The kernel runs this on the SSD
// window; the campaign runs the host build of the same code on a crash state and compares the
// verdict with the rebooted kernel's (the two builds must agree on every state).

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/kernel/self_check.h>
#include <ferros/ring/ssd.h>
#include <ferros/storage/live.h>
#include <ferros/storage/store.h>

namespace ferros::kernel {

enum class MountOutcome : uint8_t {
    Mounted, // an existing store
    FormattedBlank, // no anchor at all: a device never formatted
    FormattedInterrupted, // a torn first anchor over an all-zero ring: a format that was cut
};

// A blank device has no anchor. Formatting it is safe to repeat: format zeroes the device and
// flushes before it writes the first anchor, so a cut anywhere in it leaves either no anchor
// (NoAnchor) or a torn first anchor over an all-zero ring (Corrupt, recognised by
// is_interrupted_format), and the next boot formats again. Any other error is never answered
// by a format, which would destroy the data the error is about.
ErrorOr<MountOutcome> mount_or_format(
    storage::Store& store, ring::Ssd& ssd, storage::StoreOptions options, Bytes scratch);

// What the continuation after recovery did (R14, storage/live.h).
struct LiveSummary {
    uint64_t commits { 0 };
    uint64_t refused { 0 };
    uint64_t removed { 0 }; // recovered keys deleted to make room in a full store
    uint64_t ring_bytes { 0 }; // how far the head went: at least the ring's length
    uint64_t relocated_bytes { 0 }; // carried forward by the cleaner
};

// R14 Live in the guest: runs the continuation on `store` (mounted, its self-check `before`
// passed), then checks what it left, and again after a remount: the self-check passes (every
// record between tail and head, every key and value), the keys are those before less the ones
// removed plus the continuation's new ones, and every key the continuation wrote holds its
// last value. It leaves the store mounted. `scratch` must hold the largest value. Errors: those
// of the continuation (storage::run_live), of the self-check and mount, and Corrupt for a key
// count or a value that is not what the continuation left.
// `observer` is told of each commit (the store server yields at each attempt: a successful
// system call that tells the spin watchdog a lap of a large ring is progress, not a loop).
ErrorOr<LiveSummary> check_live(
    storage::Store& store, const SelfCheckSummary& before, Bytes scratch, const storage::LiveObserver& observer = {});

} // namespace ferros::kernel
