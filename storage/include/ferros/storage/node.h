#pragma once
// The index node: a Node record whose payload is a sorted run of entries.
//   payload: level u8, reserved u8, count u16, reserved u32, then `count` entries of
//            key_length u8, key, position u64, a u32, b u32
//   leaf (level 0):     position/a/b = the value's Txn record, offset in it, length
//   internal (level>0): position/a   = the child node record and its length; b = 0
// An internal entry's key is the first key of its child. NodeReader and NodeBuilder are the
// one decoder and encoder of entries: the rest of the code sees the named fields of
// NodeEntry, never position, a and b.

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/ring/record.h>
#include <ferros/storage/limits.h>
#include <ferros/storage/value_ref.h>

namespace ferros::storage {

constexpr size_t kNodePayloadHeaderSize = 8;
constexpr size_t node_entry_size(size_t key_length) { return 1 + key_length + 16; }

// Where an internal entry points: the child's node record.
struct ChildRef {
    ring::RingPosition position;
    uint32_t length { 0 };
};

// One entry; which of `value` and `child` it carries follows from the node's level.
struct NodeEntry {
    ReadonlyBytes key;
    ValueRef value; // leaf (level 0): where the key's value lives
    ChildRef child; // internal (level > 0): the subtree whose first key is `key`

    static NodeEntry leaf(ReadonlyBytes key, ValueRef value) { return NodeEntry { key, value, ChildRef {} }; }
    static NodeEntry internal(ReadonlyBytes key, ChildRef child) { return NodeEntry { key, ValueRef {}, child }; }
};

// Checks a node record whose CRC is already verified: its level, that every entry lies
// inside it, and that keys strictly increase. Errors: Corrupt.
ErrorOr<void> validate_node(const uint8_t* record, uint64_t length, uint32_t level);

// Walks the entries of a validated node in order.
class NodeReader {
public:
    NodeReader(const uint8_t* record, uint64_t length);
    // For a node whose payload header is not written yet (a builder's).
    NodeReader(const uint8_t* record, uint64_t length, uint32_t level);
    uint32_t level() const { return m_level; }
    uint16_t count() const { return load_le16(m_record + ring::kRecordHeaderSize + 2); }
    // The next entry, or false at the end: `value` filled for a leaf, `child` otherwise.
    bool next(NodeEntry& entry);

private:
    const uint8_t* m_record;
    uint64_t m_length;
    uint64_t m_offset;
    uint32_t m_level;
};

// Builds a node record in a kMaxNodeRecord buffer; the header is left for the appender.
class NodeBuilder {
public:
    void init(uint8_t* buffer) { m_buffer = buffer; }
    void reset(uint32_t level);
    bool empty() const { return m_count == 0; }
    uint16_t count() const { return m_count; }
    uint32_t level() const { return m_level; }
    bool fits(size_t key_length) const { return m_length + node_entry_size(key_length) <= kMaxNodeRecord; }
    // Encodes `value` into a leaf, `child` into an internal node (the builder's level).
    void add(const NodeEntry& entry);
    // The first entry (the node's key and, for a single-entry node, its only child).
    NodeEntry first() const;
    // Finishes the payload header; returns the record buffer, its length in the header.
    uint8_t* finish();
    uint64_t length() const { return m_length; }

private:
    uint8_t* m_buffer { nullptr };
    uint64_t m_length { 0 };
    uint16_t m_count { 0 };
    uint32_t m_level { 0 };
};

} // namespace ferros::storage
