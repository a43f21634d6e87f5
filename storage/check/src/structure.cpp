#include "structure.h"
#include "fast_crc.h"
#include <cstring>
#include <ferros/base/bytes.h>
#include <ferros/ring/mem.h>
#include <ferros/ring/record.h>
#include <ferros/storage/node.h>
#include <ferros/storage/tree.h>
#include <ferros/storage/txn_op.h>
#include <optional>
#include <string>

namespace ferros::check {

using ring::kRecordHeaderSize;
using ring::RingPosition;

namespace {

    std::string where(uint64_t position) { return "record at ring position " + std::to_string(position); }

    std::string error_text(const Error& error)
    {
        std::string text = error_name(error.code());
        if (error.context())
            text += std::string(" (") + error.context() + ")";
        return text;
    }

    class Walker {
    public:
        Walker(ring::Ssd& ssd, const storage::StoreShape& shape, std::vector<Violation>& violations)
            : m_ssd(ssd)
            , m_geometry(ring::Geometry::create(ssd.size()).value())
            , m_shape(shape)
            , m_violations(violations)
            , m_buffer(scratch(0, ring::kMaxRecordSize))
            , m_tree_memory(scratch(1, storage::Tree::kMemorySize))
        {
            m_tree.init(m_tree_memory.data(), ssd, m_geometry);
        }

        void fail(const std::string& message) { m_violations.push_back({ Invariant::R2, message }); }

        // Every record between tail and head decodes, sits where it says, continues the
        // sequence, never goes back an epoch and passes its checksum.
        void records()
        {
            uint64_t const tail = m_shape.anchor.tail.value();
            uint64_t const head = m_shape.head.value();
            uint64_t const log_start = m_shape.anchor.log_start.value();
            if (head < log_start || head - tail > m_geometry.ring_length()) {
                fail("head " + std::to_string(head) + " outside [log start, tail + ring length]");
                return;
            }
            uint64_t position = tail;
            std::optional<uint64_t> sequence;
            uint64_t epoch = 0;
            while (position < head) {
                uint64_t const room = m_geometry.room_before_end(RingPosition(position));
                if (room < kRecordHeaderSize) {
                    position += room;
                    continue;
                }
                if (m_ssd.read(m_geometry.offset_of(RingPosition(position)), Bytes(m_buffer.data(), kRecordHeaderSize))
                        .is_error()) {
                    fail("device read failed");
                    return;
                }
                auto decoded = ring::decode_header(m_buffer.data());
                if (decoded.is_error()) {
                    fail(where(position) + " between tail and head does not decode: " + error_text(decoded.error()));
                    return;
                }
                auto const header = decoded.value();
                if (header.position.value() != position) {
                    fail(where(position) + " names position " + std::to_string(header.position.value()));
                    return;
                }
                if (sequence && header.sequence.value() != *sequence + 1) {
                    fail(where(position) + " has sequence " + std::to_string(header.sequence.value()) + " after "
                        + std::to_string(*sequence));
                    return;
                }
                if (header.epoch < epoch) {
                    fail(where(position) + " goes back from epoch " + std::to_string(epoch));
                    return;
                }
                if (header.length > room) {
                    fail(where(position) + " straddles the end of the ring");
                    return;
                }
                if (header.length > kRecordHeaderSize
                    && m_ssd
                           .read(m_geometry.offset_of(RingPosition(position + kRecordHeaderSize)),
                               Bytes(m_buffer.data() + kRecordHeaderSize, header.length - kRecordHeaderSize))
                           .is_error()) {
                    fail("device read failed");
                    return;
                }
                if (fast_record_crc(m_buffer.data(), header.length) != header.crc) {
                    fail(where(position) + " fails its checksum");
                    return;
                }
                if (header.type == ring::RecordType::Node) {
                    auto valid = storage::validate_node(m_buffer.data(), header.length, m_buffer[kRecordHeaderSize]);
                    if (valid.is_error()) {
                        fail(where(position) + ": bad index node: " + error_text(valid.error()));
                        return;
                    }
                }
                sequence = header.sequence.value();
                epoch = header.epoch;
                position += header.type == ring::RecordType::Pad ? room : ring::record_footprint(header.length);
            }
            if (position != head)
                fail("records end at " + std::to_string(position) + ", past the head " + std::to_string(head));
            if (sequence && *sequence + 1 != m_shape.next_sequence.value())
                fail("the head's sequence number does not follow the last record");
        }

        // Every node reachable from the anchor lies in [tail, log start), verifies, and holds
        // keys inside the range its parent gives it; every value reference points at the put
        // of that key inside a verified Txn record in [tail, head).
        void index(const storage::TreeRoot& root)
        {
            if (!root.empty())
                node(root.position, root.length, root.level, std::nullopt, std::nullopt);
        }

    private:
        void node(RingPosition position, uint32_t length, uint32_t level, std::optional<std::string> low,
            std::optional<std::string> high)
        {
            uint64_t const tail = m_shape.anchor.tail.value();
            if (position.value() < tail || position.value() + length > m_shape.anchor.log_start.value()) {
                fail("index node at " + std::to_string(position.value()) + " outside [tail, log start)");
                return;
            }
            auto read = m_tree.read_node(position, length, level);
            if (read.is_error()) {
                fail("index node at " + std::to_string(position.value())
                    + " does not verify: " + error_text(read.error()));
                return;
            }
            // Children reuse lower levels' buffers, but copy anyway: value checks use m_buffer.
            std::vector<uint8_t> copy(read.value(), read.value() + length);
            storage::NodeReader reader(copy.data(), length);
            storage::NodeEntry entry;
            std::vector<storage::NodeEntry> entries;
            while (reader.next(entry))
                entries.push_back(entry);
            for (size_t i = 0; i < entries.size(); ++i) {
                std::string const key(reinterpret_cast<const char*>(entries[i].key.data()), entries[i].key.size());
                if ((low && key < *low) || (high && key >= *high) || (i == 0 && low && level > 0 && key != *low)) {
                    fail("index node at " + std::to_string(position.value()) + " holds a key outside its range");
                    return;
                }
                if (level == 0) {
                    value(key, entries[i]);
                    continue;
                }
                std::optional<std::string> next_high = high;
                if (i + 1 < entries.size())
                    next_high = std::string(
                        reinterpret_cast<const char*>(entries[i + 1].key.data()), entries[i + 1].key.size());
                node(entries[i].child.position, entries[i].child.length, level - 1, key, next_high);
            }
        }

        void value(const std::string& key, const storage::NodeEntry& entry)
        {
            uint64_t const record = entry.value.record.value();
            std::string const what = "value of key '" + key + "'";
            if (record < m_shape.anchor.tail.value() || record >= m_shape.head.value()) {
                fail(what + " lies outside [tail, head)");
                return;
            }
            uint64_t const room = m_geometry.room_before_end(RingPosition(record));
            if (room < kRecordHeaderSize
                || m_ssd.read(m_geometry.offset_of(RingPosition(record)), Bytes(m_buffer.data(), kRecordHeaderSize))
                       .is_error()) {
                fail(what + " has an impossible reference");
                return;
            }
            auto decoded = ring::decode_header(m_buffer.data());
            if (decoded.is_error() || decoded.value().type != ring::RecordType::Txn
                || decoded.value().position.value() != record || decoded.value().length > room) {
                fail(what + " does not point at a Txn record");
                return;
            }
            auto const header = decoded.value();
            if (m_ssd
                    .read(m_geometry.offset_of(RingPosition(record + kRecordHeaderSize)),
                        Bytes(m_buffer.data() + kRecordHeaderSize, header.length - kRecordHeaderSize))
                    .is_error()
                || fast_record_crc(m_buffer.data(), header.length) != header.crc) {
                fail(what + ": its Txn record fails its checksum");
                return;
            }
            // The reference names the value's offset; the put's header sits just before the key.
            uint64_t const value_offset = entry.value.offset;
            bool const room_for_op = value_offset >= key.size() + storage::kTxnOpHeaderSize + kRecordHeaderSize;
            auto const op = room_for_op ? storage::decode_txn_op(
                                m_buffer.data(), header.length, value_offset - key.size() - storage::kTxnOpHeaderSize)
                                        : ErrorOr<storage::TxnOp>(Error(ErrorCode::Corrupt));
            if (op.is_error() || op.value().kind != storage::TxnOpKind::Put || op.value().key.size() != key.size()
                || op.value().value.size() != entry.value.length
                || std::memcmp(op.value().key.data(), key.data(), key.size()) != 0) {
                fail(what + " does not point at a put of that key");
                return;
            }
        }

        ring::Ssd& m_ssd;
        ring::Geometry m_geometry;
        storage::StoreShape m_shape;
        std::vector<Violation>& m_violations;
        // Reused across calls: a checker visits thousands of states a second.
        static std::vector<uint8_t>& scratch(int which, size_t size)
        {
            static thread_local std::vector<uint8_t> buffers[2];
            if (buffers[which].size() < size)
                buffers[which].resize(size + 8);
            return buffers[which];
        }
        std::vector<uint8_t>& m_buffer;
        std::vector<uint8_t>& m_tree_memory;
        storage::Tree m_tree;
    };

} // namespace

void check_structure(
    ring::Ssd& ssd, const storage::StoreShape& shape, const storage::TreeRoot& root, std::vector<Violation>& violations)
{
    Walker walker(ssd, shape, violations);
    walker.records();
    walker.index(root);
}

} // namespace ferros::check
