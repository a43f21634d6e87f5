#include <ferros/ring/mem.h>
#include <ferros/storage/tree.h>

namespace ferros::storage {

using ring::compare_keys;
using ring::RingPosition;

namespace {

    int compare(ReadonlyBytes a, ReadonlyBytes b) { return compare_keys(a.data(), a.size(), b.data(), b.size()); }

} // namespace

void Tree::init(uint8_t* memory, ring::Ssd& ssd, const ring::Geometry& geometry)
{
    m_ssd = &ssd;
    m_geometry = geometry;
    for (uint32_t level = 0; level < kMaxTreeLevels; ++level) {
        m_read[level] = memory + 2 * level * kMaxNodeRecord;
        m_builders[level].init(memory + (2 * level + 1) * kMaxNodeRecord);
        m_cached[level] = RingPosition(ring::kNoRoot);
    }
}

ErrorOr<const uint8_t*> Tree::read_node(RingPosition position, uint32_t length, uint32_t level)
{
    if (level >= kMaxTreeLevels || length < ring::kRecordHeaderSize || length > kMaxNodeRecord
        || length > m_geometry.room_before_end(position))
        return Error(ErrorCode::Corrupt, "node reference");
    uint8_t* buffer = m_read[level];
    if (m_cached[level] == position && load_le32(buffer + 8) == length)
        return buffer;
    m_cached[level] = RingPosition(ring::kNoRoot);
    TRY(m_ssd->read(m_geometry.offset_of(position), Bytes(buffer, length)));
    auto header = TRY(ring::decode_header(buffer));
    if (header.type != ring::RecordType::Node || header.position != position || header.length != length)
        return Error(ErrorCode::Corrupt, "node header");
    if (ring::record_crc(buffer, length) != header.crc)
        return Error(ErrorCode::Corrupt, "node checksum");
    TRY(validate_node(buffer, length, level));
    m_cached[level] = position;
    return buffer;
}

ErrorOr<bool> Tree::lookup(const TreeRoot& root, ReadonlyBytes key, ValueRef& ref)
{
    if (root.empty())
        return false;
    RingPosition position = root.position;
    uint32_t length = root.length;
    for (uint32_t level = root.level;; --level) {
        auto const* node = TRY(read_node(position, length, level));
        NodeReader reader(node, length);
        NodeEntry entry;
        if (level == 0) {
            while (reader.next(entry)) {
                int const c = compare(entry.key, key);
                if (c == 0) {
                    ref = entry.value;
                    return true;
                }
                if (c > 0)
                    break;
            }
            return false;
        }
        // The child whose key is the last one <= key (or the first child).
        reader.next(entry);
        NodeEntry chosen = entry;
        while (reader.next(entry) && compare(entry.key, key) <= 0)
            chosen = entry;
        position = chosen.child.position;
        length = chosen.child.length;
    }
}

ErrorOr<bool> Tree::successor(const TreeRoot& root, ReadonlyBytes key, bool inclusive, KeyBuffer& found, ValueRef& ref)
{
    if (root.empty())
        return false;
    return successor_in(root.position, root.length, root.level, key, inclusive, found, ref);
}

ErrorOr<bool> Tree::successor_in(RingPosition position, uint32_t length, uint32_t level, ReadonlyBytes key,
    bool inclusive, KeyBuffer& found, ValueRef& ref)
{
    auto const* node = TRY(read_node(position, length, level));
    NodeReader reader(node, length);
    NodeEntry entry;
    if (level == 0) {
        while (reader.next(entry)) {
            int const c = compare(entry.key, key);
            if (c > 0 || (inclusive && c == 0)) {
                ring::copy_bytes(found.bytes, entry.key.data(), entry.key.size());
                found.length = entry.key.size();
                ref = entry.value;
                return true;
            }
        }
        return false;
    }
    // Children from the one that may hold `key` onwards; later children hold only larger keys.
    // The entries stay valid: children are read into lower levels' buffers.
    NodeEntry entries[2];
    bool have = reader.next(entries[0]);
    bool started = false;
    while (have) {
        NodeEntry const current = entries[0];
        bool const has_next = reader.next(entries[1]);
        if (!started && has_next && compare(entries[1].key, key) <= 0) {
            entries[0] = entries[1];
            continue;
        }
        started = true;
        if (TRY(successor_in(current.child.position, current.child.length, level - 1, key, inclusive, found, ref)))
            return true;
        entries[0] = entries[1];
        have = has_next;
    }
    return false;
}

ErrorOr<bool> Tree::node_is_live(const TreeRoot& root, RingPosition position, uint32_t level, ReadonlyBytes first_key)
{
    if (root.empty() || root.level < level)
        return false;
    RingPosition current = root.position;
    uint32_t length = root.length;
    for (uint32_t at = root.level; at > level; --at) {
        auto const* node = TRY(read_node(current, length, at));
        NodeReader reader(node, length);
        NodeEntry entry;
        reader.next(entry);
        NodeEntry chosen = entry;
        while (reader.next(entry) && compare(entry.key, first_key) <= 0)
            chosen = entry;
        current = chosen.child.position;
        length = chosen.child.length;
    }
    return current == position;
}

ErrorOr<Tree::MergeResult> Tree::merge(const TreeRoot& root, const Overlay& overlay, NodeSink sink)
{
    m_overlay = &overlay;
    m_sink = sink;
    m_result = MergeResult {};
    for (uint32_t level = 0; level < kMaxTreeLevels; ++level)
        m_builders[level].reset(level);
    if (root.empty()) {
        for (size_t i = 0; i < overlay.count(); ++i) {
            auto const& entry = overlay.at(i);
            if (entry.kind == OverlayKind::Put)
                TRY(push(0, NodeEntry::leaf(overlay.key_of(entry), entry.ref)));
        }
    } else {
        TRY(merge_node(root.position, root.length, root.level, 0, overlay.count()));
    }
    m_result.root = TRY(finish());
    return m_result;
}

ErrorOr<void> Tree::merge_node(RingPosition position, uint32_t length, uint32_t level, size_t first, size_t end)
{
    auto const* node = TRY(read_node(position, length, level));
    m_result.bytes_freed += ring::record_footprint(length);
    NodeReader reader(node, length);
    auto const& overlay = *m_overlay;
    if (level == 0) {
        NodeEntry entry;
        bool have = reader.next(entry);
        size_t i = first;
        while (have || i < end) {
            int c = 1;
            if (i < end)
                c = have ? compare(overlay.key_of(overlay.at(i)), entry.key) : -1;
            if (c > 0) {
                TRY(push(0, entry));
                have = reader.next(entry);
                continue;
            }
            auto const& change = overlay.at(i++);
            NodeEntry const replacement = NodeEntry::leaf(overlay.key_of(change), change.ref);
            if (change.kind == OverlayKind::Put)
                TRY(push(0, replacement));
            else if (change.kind == OverlayKind::Touch && c == 0)
                TRY(push(0, entry));
            if (c == 0)
                have = reader.next(entry);
        }
        return {};
    }

    NodeEntry entries[2];
    bool have = reader.next(entries[0]);
    size_t i = first;
    while (have) {
        NodeEntry const current = entries[0];
        bool const has_next = reader.next(entries[1]);
        size_t j = i;
        if (has_next) {
            while (j < end && compare(overlay.key_of(overlay.at(j)), entries[1].key) < 0)
                ++j;
        } else {
            j = end;
        }
        if (j == i) {
            // Untouched subtree: keep the child as it is. Whatever the levels below hold has
            // smaller keys, so it goes out first.
            TRY(flush_below(level));
            TRY(push(level, current));
        } else {
            TRY(merge_node(current.child.position, current.child.length, level - 1, i, j));
        }
        i = j;
        entries[0] = entries[1];
        have = has_next;
    }
    return {};
}

ErrorOr<void> Tree::push(uint32_t level, const NodeEntry& entry)
{
    if (level >= kMaxTreeLevels)
        return Error(ErrorCode::NoSpace, "index deeper than kMaxTreeLevels");
    if (!m_builders[level].fits(entry.key.size()))
        TRY(emit(level));
    m_builders[level].add(entry);
    return {};
}

ErrorOr<void> Tree::emit(uint32_t level)
{
    auto& builder = m_builders[level];
    uint8_t* record = builder.finish();
    uint32_t const length = static_cast<uint32_t>(builder.length());
    auto const position = TRY(m_sink(record));
    m_result.bytes_written += ring::record_footprint(length);
    NodeEntry const entry = NodeEntry::internal(builder.first().key, ChildRef { position, length });
    // push() copies the key out of this builder before it is reset.
    TRY(push(level + 1, entry));
    builder.reset(level);
    return {};
}

ErrorOr<void> Tree::flush_below(uint32_t level)
{
    for (uint32_t below = 0; below < level; ++below) {
        if (!m_builders[below].empty())
            TRY(emit(below));
    }
    return {};
}

ErrorOr<TreeRoot> Tree::finish()
{
    for (uint32_t level = 0; level < kMaxTreeLevels; ++level) {
        if (m_builders[level].empty())
            continue;
        bool above = false;
        for (uint32_t up = level + 1; up < kMaxTreeLevels; ++up)
            above |= !m_builders[up].empty();
        if (above) {
            TRY(emit(level));
            continue;
        }
        auto& top = m_builders[level];
        if (level > 0 && top.count() == 1) {
            // A root with one child is that child: the tree gets lower after deletes.
            auto const only = top.first();
            return TreeRoot { only.child.position, only.child.length, level - 1 };
        }
        uint8_t* record = top.finish();
        uint32_t const length = static_cast<uint32_t>(top.length());
        auto const position = TRY(m_sink(record));
        m_result.bytes_written += ring::record_footprint(length);
        return TreeRoot { position, length, level };
    }
    return TreeRoot {};
}

} // namespace ferros::storage
