#include <ferros/ring/mem.h>
#include <ferros/storage/node.h>

namespace ferros::storage {

using ring::kRecordHeaderSize;

ErrorOr<void> validate_node(const uint8_t* record, uint64_t length, uint32_t level)
{
    if (length < kRecordHeaderSize + kNodePayloadHeaderSize || length > kMaxNodeRecord)
        return Error(ErrorCode::Corrupt, "node length");
    uint8_t const* payload = record + kRecordHeaderSize;
    if (payload[0] != level || payload[1] != 0 || load_le32(payload + 4) != 0)
        return Error(ErrorCode::Corrupt, "node level");
    uint16_t const count = load_le16(payload + 2);
    if (count == 0)
        return Error(ErrorCode::Corrupt, "empty node");
    uint64_t offset = kRecordHeaderSize + kNodePayloadHeaderSize;
    uint8_t const* previous = nullptr;
    size_t previous_length = 0;
    for (uint16_t i = 0; i < count; ++i) {
        if (offset + 1 > length)
            return Error(ErrorCode::Corrupt, "node entry outside the node");
        size_t const key_length = record[offset];
        if (key_length < kMinKeyLength || offset + node_entry_size(key_length) > length)
            return Error(ErrorCode::Corrupt, "node entry outside the node");
        uint8_t const* key = record + offset + 1;
        if (previous && ring::compare_keys(previous, previous_length, key, key_length) >= 0)
            return Error(ErrorCode::Corrupt, "node keys out of order");
        previous = key;
        previous_length = key_length;
        offset += node_entry_size(key_length);
    }
    if (offset != length)
        return Error(ErrorCode::Corrupt, "node length disagrees with its entries");
    return {};
}

NodeReader::NodeReader(const uint8_t* record, uint64_t length)
    : NodeReader(record, length, record[kRecordHeaderSize])
{
}

NodeReader::NodeReader(const uint8_t* record, uint64_t length, uint32_t level)
    : m_record(record)
    , m_length(length)
    , m_offset(kRecordHeaderSize + kNodePayloadHeaderSize)
    , m_level(level)
{
}

bool NodeReader::next(NodeEntry& entry)
{
    if (m_offset >= m_length)
        return false;
    size_t const key_length = m_record[m_offset];
    entry.key = ReadonlyBytes(m_record + m_offset + 1, key_length);
    uint8_t const* tail = m_record + m_offset + 1 + key_length;
    ring::RingPosition const position(load_le64(tail));
    if (level() == 0)
        entry = NodeEntry::leaf(entry.key, ValueRef { position, load_le32(tail + 8), load_le32(tail + 12) });
    else
        entry = NodeEntry::internal(entry.key, ChildRef { position, load_le32(tail + 8) });
    m_offset += node_entry_size(key_length);
    return true;
}

void NodeBuilder::reset(uint32_t level)
{
    m_level = level;
    m_count = 0;
    m_length = kRecordHeaderSize + kNodePayloadHeaderSize;
}

void NodeBuilder::add(const NodeEntry& entry)
{
    VERIFY(fits(entry.key.size()) && m_count < 0xffff);
    uint8_t* out = m_buffer + m_length;
    out[0] = static_cast<uint8_t>(entry.key.size());
    ring::copy_bytes(out + 1, entry.key.data(), entry.key.size());
    uint8_t* tail = out + 1 + entry.key.size();
    if (m_level == 0) {
        store_le64(tail, entry.value.record.value());
        store_le32(tail + 8, entry.value.offset);
        store_le32(tail + 12, entry.value.length);
    } else {
        store_le64(tail, entry.child.position.value());
        store_le32(tail + 8, entry.child.length);
        store_le32(tail + 12, 0);
    }
    m_length += node_entry_size(entry.key.size());
    ++m_count;
}

NodeEntry NodeBuilder::first() const
{
    VERIFY(m_count > 0);
    NodeReader reader(m_buffer, m_length, m_level);
    NodeEntry entry;
    reader.next(entry);
    return entry;
}

uint8_t* NodeBuilder::finish()
{
    uint8_t* payload = m_buffer + kRecordHeaderSize;
    payload[0] = static_cast<uint8_t>(m_level);
    payload[1] = 0;
    store_le16(payload + 2, m_count);
    store_le32(payload + 4, 0);
    store_le32(m_buffer + 8, static_cast<uint32_t>(m_length));
    return m_buffer;
}

} // namespace ferros::storage
