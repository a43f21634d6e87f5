#include <ferros/ring/mem.h>
#include <ferros/storage/overlay.h>

namespace ferros::storage {

using ring::compare_keys;

void Overlay::init(uint8_t* memory)
{
    m_entries = reinterpret_cast<OverlayEntry*>(memory);
    m_order = reinterpret_cast<uint16_t*>(memory + kCapacity * sizeof(OverlayEntry));
    m_heap = memory + kCapacity * (sizeof(OverlayEntry) + sizeof(uint16_t));
    clear();
}

void Overlay::clear()
{
    m_count = 0;
    m_heap_used = 0;
}

void Overlay::save(uint8_t* out) const
{
    store_le64(out, m_count);
    store_le64(out + 8, m_heap_used);
    uint8_t* at = out + 16;
    ring::copy_bytes(at, m_entries, m_count * sizeof(OverlayEntry));
    at += m_count * sizeof(OverlayEntry);
    ring::copy_bytes(at, m_order, m_count * sizeof(uint16_t));
    at += m_count * sizeof(uint16_t);
    ring::copy_bytes(at, m_heap, m_heap_used);
}

ErrorOr<void> Overlay::restore(ReadonlyBytes saved)
{
    if (saved.size() < 16)
        return Error(ErrorCode::InvalidArgument, "saved overlay too short");
    uint64_t const count = load_le64(saved.data());
    uint64_t const heap_used = load_le64(saved.data() + 8);
    if (count > kCapacity || heap_used > kKeyHeapSize
        || saved.size() != 16 + count * (sizeof(OverlayEntry) + sizeof(uint16_t)) + heap_used)
        return Error(ErrorCode::InvalidArgument, "saved overlay of another size");
    uint8_t const* at = saved.data() + 16;
    ring::copy_bytes(m_entries, at, count * sizeof(OverlayEntry));
    at += count * sizeof(OverlayEntry);
    ring::copy_bytes(m_order, at, count * sizeof(uint16_t));
    at += count * sizeof(uint16_t);
    ring::copy_bytes(m_heap, at, heap_used);
    m_count = count;
    m_heap_used = heap_used;
    return {};
}

size_t Overlay::lower_bound(ReadonlyBytes key, bool inclusive) const
{
    size_t low = 0;
    size_t high = m_count;
    while (low < high) {
        size_t const middle = (low + high) / 2;
        auto const probe = key_of(at(middle));
        int const c = compare_keys(probe.data(), probe.size(), key.data(), key.size());
        if (c < 0 || (!inclusive && c == 0))
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

const OverlayEntry* Overlay::find(ReadonlyBytes key) const
{
    size_t const index = lower_bound(key, true);
    if (index == m_count)
        return nullptr;
    auto const& entry = at(index);
    auto const probe = key_of(entry);
    return compare_keys(probe.data(), probe.size(), key.data(), key.size()) == 0 ? &entry : nullptr;
}

ErrorOr<void> Overlay::upsert(ReadonlyBytes key, OverlayKind kind, ValueRef ref)
{
    VERIFY(key.size() > 0 && key.size() <= 255);
    size_t const index = lower_bound(key, true);
    if (index < m_count) {
        auto& entry = m_entries[m_order[index]];
        auto const probe = key_of(entry);
        if (compare_keys(probe.data(), probe.size(), key.data(), key.size()) == 0) {
            if (kind != OverlayKind::Touch) {
                entry.kind = kind;
                entry.ref = ref;
            }
            return {};
        }
    }
    if (!can_take(1, key.size()))
        return Error(ErrorCode::NoSpace, "overlay full");
    auto& entry = m_entries[m_count];
    entry.key_offset = static_cast<uint32_t>(m_heap_used);
    entry.key_length = static_cast<uint8_t>(key.size());
    entry.kind = kind;
    entry.ref = ref;
    ring::copy_bytes(m_heap + m_heap_used, key.data(), key.size());
    m_heap_used += key.size();
    ring::move_bytes(m_order + index + 1, m_order + index, (m_count - index) * sizeof(uint16_t));
    m_order[index] = static_cast<uint16_t>(m_count);
    ++m_count;
    return {};
}

} // namespace ferros::storage
