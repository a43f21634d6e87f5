#pragma once
// The overlay: every change committed since the last checkpoint, by key, in key order. It is
// what mount rebuilds from the log, and what the next checkpoint folds into the index. Its
// memory is a fixed part of the store's memory: a capacity of entries and of key bytes.

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/storage/value_ref.h>

namespace ferros::storage {

enum class OverlayKind : uint8_t {
    Put = 1,
    Delete = 2,
    // No change, but the checkpoint must rewrite the index path to this key (used to carry a
    // live index node forward from the tail).
    Touch = 3,
};

struct OverlayEntry {
    uint32_t key_offset; // into the key heap
    uint8_t key_length;
    OverlayKind kind;
    ValueRef ref; // Put only
};

class Overlay {
public:
    static constexpr size_t kCapacity = 4096;
    static constexpr size_t kKeyHeapSize = 256 * 1024;
    static constexpr size_t kMemorySize = kCapacity * (sizeof(OverlayEntry) + sizeof(uint16_t)) + kKeyHeapSize;

    // `memory` must hold kMemorySize bytes, aligned for OverlayEntry.
    void init(uint8_t* memory);
    void clear();

    size_t count() const { return m_count; }
    size_t key_bytes() const { return m_heap_used; }
    // Whether `entries` more entries with `key_bytes` bytes of keys surely fit.
    bool can_take(size_t entries, size_t key_bytes) const
    {
        return m_count + entries <= kCapacity && m_heap_used + key_bytes <= kKeyHeapSize;
    }

    // The overlay as bytes, and back: a host checker that mounts many devices whose logs agree
    // on a prefix restores the overlay that prefix's replay left (Store::mount_resuming).
    size_t saved_size() const { return 16 + m_count * (sizeof(OverlayEntry) + sizeof(uint16_t)) + m_heap_used; }
    void save(uint8_t* out) const;
    // Errors: InvalidArgument when `saved` is not what save() wrote.
    ErrorOr<void> restore(ReadonlyBytes saved);

    // Inserts or replaces the entry of `key`. A Touch never replaces an existing entry.
    // Errors: NoSpace when full (callers check can_take first; replay reports Corrupt).
    ErrorOr<void> upsert(ReadonlyBytes key, OverlayKind kind, ValueRef ref);
    // The entry of `key`, or nullptr.
    const OverlayEntry* find(ReadonlyBytes key) const;
    // Index (in key order) of the first entry whose key is >= key (> key if !inclusive).
    size_t lower_bound(ReadonlyBytes key, bool inclusive) const;
    // The i-th entry in key order.
    const OverlayEntry& at(size_t index) const { return m_entries[m_order[index]]; }
    ReadonlyBytes key_of(const OverlayEntry& entry) const
    {
        return ReadonlyBytes(m_heap + entry.key_offset, entry.key_length);
    }

private:
    OverlayEntry* m_entries { nullptr };
    uint16_t* m_order { nullptr };
    uint8_t* m_heap { nullptr };
    size_t m_count { 0 };
    size_t m_heap_used { 0 };
};

} // namespace ferros::storage
