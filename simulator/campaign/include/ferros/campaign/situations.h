#pragma once
// Situation coverage: what the traced run put the store through, and in which step of which
// protocol each boundary lies. "Every boundary was cut" says nothing about whether the run ever
// turned the ring, cleaned, or came near full; this does (docs/campaign.md, "Situations").
//
// The source is the trace itself, read once: every store into the SSD window is placed by the
// store's own on-disk format (docs/storage-format.md). Stores into the anchor ring are anchor
// writes (a new epoch: the mount's; the same epoch: a checkpoint's, and a cleaning pass when
// its tail moved); stores into the record ring are followed record by record from the head
// the initial image's mount finds (each header names its type, its relocation flag and the
// live charge after it). FLUSHes close what was pending. The guest needs no extra markers and
// the count is exact: it is what the device saw.

#include <array>
#include <cstdint>
#include <ferros/abi/workload.h>
#include <ferros/base/failure.h>
#include <ferros/ring/anchor.h>
#include <ferros/ring/layout.h>
#include <ferros/trace/trace_event.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferros::campaign {

// The step of a protocol a cut falls in. A commit is one Txn record, its own commit record
// (no anchor), made durable by the sync's FLUSH; a checkpoint writes its nodes (and, in a
// cleaning pass, first the relocation records), FLUSH, the anchor, FLUSH; mount writes an
// anchor of a new epoch and FLUSHes it. "Written" phases last while those writes are pending,
// "flushed" ones from the FLUSH that made them durable to the next write.
enum class CutPhase : uint8_t {
    Idle, // nothing written yet (firmware, boot up to the mount)
    CommitWritten,
    CommitFlushed,
    CleanRelocating, // a cleaning pass's relocation records pending (its checkpoint follows)
    CheckpointDataWritten,
    CheckpointDataFlushed,
    CheckpointAnchorWritten,
    CheckpointAnchorFlushed,
    MountAnchorWritten,
    MountAnchorFlushed,
    Other, // writes the format does not place (none in a correct run)
};
constexpr size_t kCutPhases = 11;
constexpr std::array<CutPhase, kCutPhases> kAllCutPhases { CutPhase::Idle, CutPhase::CommitWritten,
    CutPhase::CommitFlushed, CutPhase::CleanRelocating, CutPhase::CheckpointDataWritten,
    CutPhase::CheckpointDataFlushed, CutPhase::CheckpointAnchorWritten, CutPhase::CheckpointAnchorFlushed,
    CutPhase::MountAnchorWritten, CutPhase::MountAnchorFlushed, CutPhase::Other };
// "commit.written", "checkpoint.anchor-flushed", ...: the names results.db and JSON use.
const char* cut_phase_name(CutPhase phase);
std::optional<CutPhase> cut_phase_from_name(std::string_view name);
// The phases a campaign's report requires to have been cut (commit and checkpoint, each step).
bool cut_phase_expected(CutPhase phase);

// From `boundary` on (until the next change), cuts fall in `phase`.
struct PhaseChange {
    uint64_t boundary { 0 };
    CutPhase phase { CutPhase::Idle };
};

// What the run did to the ring, counted from the trace. Names and meanings are
// docs/campaign.md's ("Situations"); results.db keeps them by these names.
struct RunSituations {
    uint64_t ring_length { 0 }; // bytes of the record ring
    uint64_t ring_bytes { 0 }; // how far the head moved (laps = ring_bytes / ring_length)
    uint64_t wraps { 0 }; // times the head went past the ring's physical end
    uint64_t pads { 0 }; // Pad records written at the end
    uint64_t minimal_pads { 0 }; // of them, Pads that filled exactly the 48 bytes left
    uint64_t padless_wraps { 0 }; // wraps with less than a Pad's room left (no Pad written)
    uint64_t commit_records { 0 }; // Txn records of commits
    uint64_t commit_bytes { 0 };
    uint64_t node_records { 0 };
    uint64_t node_bytes { 0 };
    uint64_t relocation_records { 0 }; // Txn records carrying live values forward
    uint64_t relocated_bytes { 0 };
    uint64_t anchors { 0 }; // anchor writes that completed (mount + checkpoint)
    uint64_t mount_anchors { 0 };
    uint64_t checkpoints { 0 }; // checkpoint anchors
    uint64_t cleaning_passes { 0 }; // checkpoint anchors that moved the tail
    uint64_t tail_bytes { 0 }; // how far the tail moved
    uint64_t max_ring_used { 0 }; // most of the ring in use, head - durable anchor's tail
    uint64_t max_live_charge { 0 }; // most live charge a record declared
    uint64_t capacity { 0 }; // Store::capacity() of the device
    uint64_t refused_nospace { 0 }; // operations the store refused with NoSpace
    uint64_t refused_too_big { 0 }; // puts refused as larger than the largest record
    uint64_t stray_writes { 0 }; // stores the format does not place (see CutPhase::Other)

    // (name, value) in a fixed order: the rows of results.db's `situations` table.
    std::vector<std::pair<std::string, uint64_t>> fields() const;
    // Errors: BadFormat when a known name is missing or an unknown one is given.
    static ErrorOr<RunSituations> from_fields(const std::vector<std::pair<std::string, uint64_t>>& fields);
    bool operator==(const RunSituations&) const = default;
};

// Follows one run's events. Feed every event of the trace in order, then finish().
class SituationTracker {
public:
    // `initial` is the SSD image at power-on; `workload` the run's (for refusals). Errors:
    // InvalidArgument when the image is not a formatted store of a valid size.
    static ErrorOr<SituationTracker> create(std::vector<uint8_t> initial, const abi::Workload& workload);

    // A store of `bytes` at window offset `offset` (already clipped to the window).
    void store(uint64_t boundary, uint64_t offset, const uint8_t* bytes, size_t size);
    void flush(uint64_t boundary);
    void marker(uint64_t boundary, uint64_t word);
    // Call once after the last event; settles what was still pending.
    void finish();

    const RunSituations& situations() const { return m_situations; }
    // The phase changes, in boundary order; the first is at boundary 0.
    const std::vector<PhaseChange>& phases() const { return m_phases; }

private:
    enum Kind : uint8_t {
        kUnresolved = 0,
        kCommit = 1,
        kNode = 2,
        kRelocation = 4,
        kCheckpointAnchor = 8,
        kMountAnchor = 16,
        kStray = 32,
    };
    // A unit of pending writes: one record or one anchor slot, since the last FLUSH.
    struct Item {
        uint64_t first_boundary;
        uint64_t key; // record position, or slot index for an anchor
        bool anchor;
        uint8_t kind;
    };

    SituationTracker(std::vector<uint8_t> image, ring::Geometry geometry)
        : m_image(std::move(image))
        , m_geometry(geometry)
    {
    }
    size_t item_for(uint64_t boundary, uint64_t key, bool anchor, uint8_t kind);
    void follow_records(uint64_t at, size_t size);
    void mark_header(uint64_t at, size_t size);
    void check_anchor(uint64_t slot);
    void resolve(uint64_t key, bool anchor, uint8_t kind);
    void emit(uint64_t boundary, CutPhase phase);
    void settle(uint64_t flush_boundary, bool flushed);
    CutPhase phase_of(uint8_t pending, uint8_t flushed) const;

    std::vector<uint8_t> m_image; // the window as the guest wrote it (durable and pending)
    ring::Geometry m_geometry;
    RunSituations m_situations;
    std::vector<PhaseChange> m_phases;
    std::vector<Item> m_items; // pending, in the order of their first store
    uint8_t m_flushed { 0 }; // kinds the last FLUSH that had anything pending made durable
    // The record follower: where the next record must start, and its sequence number.
    uint64_t m_next_position { 0 };
    uint64_t m_next_sequence { 0 };
    uint64_t m_start_position { 0 };
    uint64_t m_header_written { 0 }; // bit i: byte i of the header at m_next_position was written
    std::optional<size_t> m_pad_item; // a Pad takes the kind of the record after it
    // The record being written (recognised from its header), [m_record_start, m_record_end).
    uint64_t m_record_start { 0 };
    uint64_t m_record_end { 0 };
    uint8_t m_record_kind { kUnresolved };
    ring::Anchor m_anchor; // the newest anchor written
    uint64_t m_head { 0 };
    // The workload's operations: whether each is a commit, or a put/delete of its own
    // transaction, and that one's record size (refusals are classified from them).
    struct OpInfo {
        abi::OpCode code;
        bool in_transaction;
        uint64_t record_size;
    };
    std::vector<OpInfo> m_ops;
    uint64_t m_max_record { 0 };
};

// Reads the trace at `trace_path` once through a SituationTracker. Errors: those of the trace
// (with its path) and of create().
Result<SituationTracker> scan_situations(
    const std::string& trace_path, std::vector<uint8_t> initial, const abi::Workload& workload);

} // namespace ferros::campaign
