#pragma once
// The ring store: a crash-safe, log-structured key-value store on one ring that rotates
// through the SSD (docs/storage-format.md). Freestanding: no exceptions, no allocation; the
// caller gives the device and kMemorySize bytes of memory, whatever the device size.
//
//   Store store(ssd, memory, options);
//   TRY(Store::format(ssd));          // once, on a fresh device
//   TRY(store.mount());               // bounded: anchors + at most the log budget
//   TRY(store.begin()); TRY(store.put(key, value)); TRY(store.remove(other)); TRY(store.commit());
//   TRY(store.sync());                // everything committed so far survives any cut
//
// Guarantees: a commit is atomic (one checksummed record); commits are ordered (a cut leaves
// the state after some prefix of them); after sync() returns, every earlier commit survives.
// Reads see committed data only, not the open transaction. Any device error leaves the store
// unusable until the next mount (Io): the device state is whatever a cut there would leave.

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/ring/anchor.h>
#include <ferros/ring/ssd.h>
#include <ferros/storage/limits.h>
#include <ferros/storage/options.h>
#include <ferros/storage/overlay.h>
#include <ferros/storage/tree.h>

namespace ferros::storage {

// What mount did: the campaign and benchmarks show that it stays flat.
struct MountStats {
    uint64_t anchor_slots_read { 0 };
    uint64_t log_records { 0 };
    uint64_t log_bytes { 0 }; // bytes of ring the replay read
};

// Bytes the store wrote, by purpose: write amplification = total / user payload.
struct WriteStats {
    uint64_t user_bytes { 0 }; // keys + values committed by the caller
    uint64_t txn_bytes { 0 }; // Txn records of commits
    uint64_t relocation_bytes { 0 }; // Txn records carrying live values forward
    uint64_t node_bytes { 0 };
    uint64_t pad_bytes { 0 };
    uint64_t anchor_bytes { 0 };
    uint64_t checkpoints { 0 };
    uint64_t cleanings { 0 };
    uint64_t total() const { return txn_bytes + relocation_bytes + node_bytes + pad_bytes + anchor_bytes; }
};

// Where a mount's replay of the log ended, with everything the replay carries from one record
// to the next. A host checker that mounts many devices whose logs agree byte for byte up to
// `head` replays that prefix once and resumes each mount there (docs/campaign.md).
struct ReplayPoint {
    ring::Anchor anchor; // the anchor the mount chose
    ring::RingPosition head; // the first position the replay did not accept
    SequenceNumber next_sequence;
    uint64_t epoch { 0 }; // of the last record accepted (the log may not go back an epoch)
    uint64_t live_charge { 0 };
    MountStats stats;
};

// What Store::verify_records walked.
struct RecordWalk {
    uint64_t records { 0 }; // Pad records included
    uint64_t bytes { 0 }; // of ring, from the tail to the head
};

// The durable shape of a mounted store, for checkers and tests.
struct StoreShape {
    ring::Anchor anchor; // as of the last anchor written or mounted
    ring::RingPosition head; // next record position
    SequenceNumber next_sequence;
    uint64_t epoch { 0 };
};

class Store final {
public:
    // Transaction buffer, cleaner buffer, index buffers and the overlay: 592 KiB, and
    // independent of the device size: the index lives on the device.
    static constexpr size_t kBufferSize = ring::kMaxRecordSize;
    static constexpr size_t kMemorySize = 2 * kBufferSize + Tree::kMemorySize + Overlay::kMemorySize;

    // `memory` must hold kMemorySize bytes, 8-byte aligned, and outlive the store.
    Store(ring::Ssd& ssd, Bytes memory, StoreOptions options = {});
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Makes an empty store: zeroes the device (no record of an earlier store can then be
    // taken for one of this store), then writes the first anchor. Errors: InvalidArgument
    // (device size), device errors.
    static ErrorOr<void> format(ring::Ssd& ssd, StoreOptions options = {});

    // Finds the newest valid anchor, replays the log after it, and writes a new anchor that
    // opens a new epoch. Errors: NoAnchor (never formatted), Corrupt, Unsupported, NoMemory,
    // InvalidArgument, device errors.
    ErrorOr<void> mount();
    // The same, except that when the newest valid anchor is `resume.anchor`, the replay starts
    // at resume.head with the overlay `overlay` (Overlay::save of the store that reached
    // resume) instead of at the anchor's log start. The caller vouches that this device holds
    // exactly the bytes that store replayed: the result is then the one mount() gives.
    // Errors: those of mount(); InvalidArgument for an overlay save() did not write.
    ErrorOr<void> mount_resuming(const ReplayPoint& resume, ReadonlyBytes overlay);
    // Where the last mount's replay ended.
    const ReplayPoint& replay_point() const { return m_replay; }

    // Transactions: one open at a time. begin: Busy if one is open. put/remove: NoTransaction,
    // TooBig (key 1..255 bytes, value <= 64 KiB, <= kMaxTxnOps operations, record size).
    ErrorOr<void> begin();
    ErrorOr<void> put(ReadonlyBytes key, ReadonlyBytes value);
    ErrorOr<void> remove(ReadonlyBytes key);
    // Commits atomically. NoSpace: the store is full (the transaction is dropped, the store
    // is unchanged and consistent). The transaction is closed in every case.
    ErrorOr<void> commit();
    void abort();
    // Returns once every commit before it survives any cut.
    ErrorOr<void> sync();

    // Copies the value of `key` into `out` and returns its length. NotFound, TooBig (out too
    // small), Corrupt (the value's record fails its checksum), device errors.
    ErrorOr<size_t> get(ReadonlyBytes key, Bytes out);
    // The first key after `key` in key order (at or after it if inclusive); false at the end.
    // Iterate with an empty key and inclusive = true, then with each key found.
    ErrorOr<bool> next_key(ReadonlyBytes key, bool inclusive, KeyBuffer& found, size_t& value_length);

    const MountStats& mount_stats() const { return m_mount_stats; }
    const WriteStats& write_stats() const { return m_write_stats; }
    StoreShape shape() const;
    TreeRoot root() const;
    // The changes since the last checkpoint, by key (what mount replayed and commits added):
    // a checker that already knows the index's contents needs only these to know the store's.
    const Overlay& overlay() const { return m_overlay; }
    // Live data as the store accounts it, and the most it admits (NoSpace beyond).
    uint64_t live_charge() const { return m_live_charge; }
    uint64_t capacity() const;
    // Bytes of ring free for the head.
    uint64_t free_bytes() const;
    // The largest record a commit may produce on this device.
    uint64_t max_record() const;
    uint64_t log_budget() const;
    // Bytes of the record ring (the device less its anchors).
    uint64_t ring_length() const { return m_geometry.ring_length(); }
    // How far one cleaning pass carries the tail forward at most.
    uint64_t clean_chunk() const;
    // The most log a mount may replay: the log budget, one cleaning pass of relocated
    // records and one interrupted checkpoint (R1: independent of the amount of data).
    uint64_t mount_replay_bound() const;

    // Walks every record between the tail and the head, as the host checker does (R2): each
    // decodes, sits at the position it names, continues the sequence, never goes back an
    // epoch, does not straddle the ring's end and passes its checksum (whatever the seeded
    // bug), an index node is well formed, and the head's sequence number follows the last.
    // For the kernel's boot self-check. Errors: Corrupt (with the first fault), device errors.
    ErrorOr<RecordWalk> verify_records();

    // True once a device error or a failed check of the store's own writes (append) has
    // stopped it: every call then fails with Io until the device is mounted again. The store
    // server ends itself then, so that its restart is that mount (docs/kernel.md, fail-stop).
    bool failed() const { return m_failed; }
    // True when what stopped it was a check of its own writes, not the device: the device may
    // be sound, and a mount that stopped so is worth a restart.
    bool fail_stopped() const { return m_fail_stopped; }

private:
    ErrorOr<ring::RingPosition> append_node(uint8_t* record);
    static ErrorOr<ring::RingPosition> append_node_to(void* store, uint8_t* record)
    {
        return static_cast<Store*>(store)->append_node(record);
    }
    NodeSink node_sink() { return NodeSink { &Store::append_node_to, this }; }
    // Assigns position, sequence and epoch, seals and writes a record at the head (after a
    // Pad record when it would straddle the physical end). In dry mode only positions move.
    ErrorOr<ring::RingPosition> append(uint8_t* record, ring::RecordType type, uint8_t flags, uint64_t aux);
    // Fail-stop checks of the store's own writes (docs/storage-format.md, 6.1): a sealed record
    // must decode, as mount decodes it, to the header built (`built`) and a payload mount
    // accepts; after the write the device must hold that header and a record whose CRC,
    // computed again from the device, is the sealed one (other writes: the bytes written). A
    // register or stack byte that went bad on the way stops the store (stop: Corrupt,
    // failed() and fail_stopped()) before any caller is answered. Errors: Corrupt, the device's.
    ErrorOr<void> write_record_checked(DeviceOffset offset, const uint8_t* record, const ring::RecordHeader& built);
    ErrorOr<void> write_checked(DeviceOffset offset, ReadonlyBytes data);
    ErrorOr<void> stop(const char* what);
    ErrorOr<void> write_anchor(const ring::Anchor& anchor);
    ErrorOr<void> mount_from(const ReplayPoint* resume, ReadonlyBytes overlay);
    ErrorOr<void> replay_log(const ring::Anchor& anchor, const ReplayPoint* resume, ReadonlyBytes overlay);
    ErrorOr<void> apply_txn(const uint8_t* record, uint64_t length, ring::RingPosition position);
    ErrorOr<bool> lookup(ReadonlyBytes key, ValueRef& ref);
    // Makes room for a record of `footprint` bytes adding `entries` overlay entries.
    ErrorOr<void> ensure_room(uint64_t footprint, size_t entries, size_t key_bytes);
    ErrorOr<void> checkpoint(ring::RingPosition new_tail);
    ErrorOr<void> clean();
    // The puts of the Txn record in m_io (at `position`) that are still their key's current
    // value, compacted in place into a relocation record of `length` bytes (no op: nothing
    // live).
    struct LivePart {
        uint64_t length { 0 };
        uint32_t ops { 0 };
        uint64_t key_bytes { 0 };
    };
    ErrorOr<LivePart> live_part(ring::RingPosition position, uint64_t length);
    ErrorOr<void> relocate(const LivePart& live);
    uint64_t checkpoint_bound(size_t extra_entries) const;
    // Ring bytes that records of `bytes` in all, none longer than `largest`, take when
    // appended from `from`: with the Pad at the ring's physical end when they do not all fit
    // before it (append never lets a record straddle the end, so the rest of the lap is lost).
    uint64_t span(ring::RingPosition from, uint64_t bytes, uint64_t largest) const;
    // What a commit leaves free beyond its record and a checkpoint: one step of cleaning, the
    // largest record carried forward and the checkpoint after it, either one behind a Pad.
    uint64_t cleaning_reserve() const;
    ErrorOr<void> fail(Error error);
    ErrorOr<void> usable() const;

    ring::Ssd& m_ssd;
    ring::Geometry m_geometry;
    StoreOptions m_options;
    Bytes m_memory;
    uint8_t* m_txn { nullptr };
    uint8_t* m_io { nullptr };
    Tree m_tree;
    Overlay m_overlay;

    bool m_mounted { false };
    bool m_failed { false };
    bool m_fail_stopped { false };
    bool m_dry_run { false };
    ring::Anchor m_anchor;
    ring::RingPosition m_head;
    SequenceNumber m_next_sequence;
    uint64_t m_epoch { 0 };
    uint64_t m_live_charge { 0 };
    uint64_t m_tree_bytes { 0 };

    bool m_txn_open { false };
    uint64_t m_txn_length { 0 };
    uint32_t m_txn_ops { 0 };
    uint64_t m_txn_key_bytes { 0 };
    uint64_t m_txn_user_bytes { 0 };

    MountStats m_mount_stats;
    WriteStats m_write_stats;
    ReplayPoint m_replay;
};

} // namespace ferros::storage
