#pragma once
// The index: a copy-on-write B+tree of Node records in the ring. Mount never reads it: it is
// walked lazily by lookups and rewritten path by path at checkpoints, so neither mount time
// nor memory grows with the number of keys. Memory: two node buffers per level (reading
// and building), given by the caller.

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/ring/anchor.h>
#include <ferros/ring/ssd.h>
#include <ferros/storage/node.h>
#include <ferros/storage/overlay.h>

namespace ferros::storage {

struct TreeRoot {
    ring::RingPosition position { ring::kNoRoot };
    uint32_t length { 0 };
    uint32_t level { 0 };
    bool empty() const { return position.value() == ring::kNoRoot; }
};

struct KeyBuffer {
    uint8_t bytes[kMaxKeyLength];
    size_t length { 0 };
    ReadonlyBytes view() const { return ReadonlyBytes(bytes, length); }
};

// Where a checkpoint writes the nodes it builds (the store's appender): it appends the node
// record (header fields other than length are the sink's to fill) and says where. A function
// and its context rather than a virtual interface: the store stays a plain, non-polymorphic
// type, so code built with RTTI and sanitizers needs no typeinfo for it.
struct NodeSink {
    ErrorOr<ring::RingPosition> (*append)(void* context, uint8_t* record);
    void* context;
    ErrorOr<ring::RingPosition> operator()(uint8_t* record) const { return append(context, record); }
};

class Tree {
public:
    static constexpr size_t kMemorySize = 2 * kMaxTreeLevels * kMaxNodeRecord;

    void init(uint8_t* memory, ring::Ssd& ssd, const ring::Geometry& geometry);

    // Reads, verifies (CRC, type, position, length, level, entries) and returns the node
    // into the level's read buffer. Errors: Corrupt, device errors.
    ErrorOr<const uint8_t*> read_node(ring::RingPosition position, uint32_t length, uint32_t level);

    ErrorOr<bool> lookup(const TreeRoot& root, ReadonlyBytes key, ValueRef& ref);
    // The first key after `key` (or at it, if inclusive).
    ErrorOr<bool> successor(const TreeRoot& root, ReadonlyBytes key, bool inclusive, KeyBuffer& found, ValueRef& ref);
    // Whether the node at `position`, of `level`, whose first key is `first_key`, is the one
    // the tree reaches for that key: the test a cleaner needs to know if a node is live.
    ErrorOr<bool> node_is_live(
        const TreeRoot& root, ring::RingPosition position, uint32_t level, ReadonlyBytes first_key);

    struct MergeResult {
        TreeRoot root;
        uint64_t bytes_written { 0 }; // ring footprint of the nodes written
        uint64_t bytes_freed { 0 }; // ring footprint of the nodes replaced
    };
    // Folds the overlay into the tree copy-on-write: only nodes on paths to overlay keys are
    // rewritten (bottom-up, children before parents), through `sink`.
    ErrorOr<MergeResult> merge(const TreeRoot& root, const Overlay& overlay, NodeSink sink);

private:
    ErrorOr<bool> successor_in(
        ring::RingPosition, uint32_t length, uint32_t level, ReadonlyBytes key, bool inclusive, KeyBuffer&, ValueRef&);
    ErrorOr<void> merge_node(ring::RingPosition, uint32_t length, uint32_t level, size_t first, size_t end);
    ErrorOr<void> push(uint32_t level, const NodeEntry& entry);
    ErrorOr<void> emit(uint32_t level);
    ErrorOr<void> flush_below(uint32_t level);
    ErrorOr<TreeRoot> finish();

    ring::Ssd* m_ssd { nullptr };
    ring::Geometry m_geometry { ring::Geometry::create(ring::kMinDeviceSize).value() };
    uint8_t* m_read[kMaxTreeLevels] {};
    // What each level's read buffer holds, verified. A logical position is written once
    // ever, so a node read at a position stays valid for as long as the store is mounted.
    ring::RingPosition m_cached[kMaxTreeLevels];
    NodeBuilder m_builders[kMaxTreeLevels];
    // Merge state, valid during merge() only.
    const Overlay* m_overlay { nullptr };
    NodeSink m_sink { nullptr, nullptr };
    MergeResult m_result;
};

} // namespace ferros::storage
