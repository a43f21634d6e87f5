#include "structure.h"
#include <algorithm>
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

        // One step of the walk of records: the record at `position` (or the gap to the next lap
        // when fewer than a header's bytes remain), checked against the sequence and epoch of
        // the record before it. Nothing after a failure, which it reports.
        struct Step {
            uint64_t end { 0 }; // where the next step starts
            std::optional<uint64_t> sequence; // of the last record so far
            uint64_t epoch { 0 };
        };
        std::optional<Step> step(uint64_t position, std::optional<uint64_t> sequence, uint64_t epoch)
        {
            uint64_t const room = m_geometry.room_before_end(RingPosition(position));
            if (room < kRecordHeaderSize)
                return Step { position + room, sequence, epoch };
            if (m_ssd.read(m_geometry.offset_of(RingPosition(position)), Bytes(m_buffer.data(), kRecordHeaderSize))
                    .is_error()) {
                fail("device read failed");
                return std::nullopt;
            }
            auto decoded = ring::decode_header(m_buffer.data());
            if (decoded.is_error()) {
                fail(where(position) + " between tail and head does not decode: " + error_text(decoded.error()));
                return std::nullopt;
            }
            auto const header = decoded.value();
            if (header.position.value() != position) {
                fail(where(position) + " names position " + std::to_string(header.position.value()));
                return std::nullopt;
            }
            if (sequence && header.sequence.value() != *sequence + 1) {
                fail(where(position) + " has sequence " + std::to_string(header.sequence.value()) + " after "
                    + std::to_string(*sequence));
                return std::nullopt;
            }
            if (header.epoch < epoch) {
                fail(where(position) + " goes back from epoch " + std::to_string(epoch));
                return std::nullopt;
            }
            if (header.length > room) {
                fail(where(position) + " straddles the end of the ring");
                return std::nullopt;
            }
            if (header.length > kRecordHeaderSize
                && m_ssd
                       .read(m_geometry.offset_of(RingPosition(position + kRecordHeaderSize)),
                           Bytes(m_buffer.data() + kRecordHeaderSize, header.length - kRecordHeaderSize))
                       .is_error()) {
                fail("device read failed");
                return std::nullopt;
            }
            if (ring::record_crc(m_buffer.data(), header.length) != header.crc) {
                fail(where(position) + " fails its checksum");
                return std::nullopt;
            }
            if (header.type == ring::RecordType::Node) {
                auto valid = storage::validate_node(m_buffer.data(), header.length, m_buffer[kRecordHeaderSize]);
                if (valid.is_error()) {
                    fail(where(position) + ": bad index node: " + error_text(valid.error()));
                    return std::nullopt;
                }
            }
            uint64_t const footprint
                = header.type == ring::RecordType::Pad ? room : ring::record_footprint(header.length);
            return Step { position + footprint, header.sequence.value(), header.epoch };
        }

        // Whether the shape's head is possible at all; the walk of records needs it.
        bool head_in_range()
        {
            uint64_t const tail = m_shape.anchor.tail.value();
            uint64_t const head = m_shape.head.value();
            if (head < m_shape.anchor.log_start.value() || head - tail > m_geometry.ring_length()) {
                fail("head " + std::to_string(head) + " outside [log start, tail + ring length]");
                return false;
            }
            return true;
        }

        // Every record from `from` (where the walk stands after `before`) to the head decodes,
        // sits where it says, continues the sequence, never goes back an epoch and passes its
        // checksum; the head's sequence number follows the last one.
        void records_from(Step from)
        {
            uint64_t const head = m_shape.head.value();
            uint64_t position = from.end;
            std::optional<uint64_t> sequence = from.sequence;
            uint64_t epoch = from.epoch;
            while (position < head) {
                auto next = step(position, sequence, epoch);
                if (!next)
                    return;
                position = next->end;
                sequence = next->sequence;
                epoch = next->epoch;
            }
            if (position != head)
                fail("records end at " + std::to_string(position) + ", past the head " + std::to_string(head));
            if (sequence && *sequence + 1 != m_shape.next_sequence.value())
                fail("the head's sequence number does not follow the last record");
        }

        // The walk of records on a durable image from `tail`, as far as records verify (at most
        // one ring length): what every state over that image can take as verified.
        std::vector<Step> chain(uint64_t tail)
        {
            std::vector<Step> steps;
            Step at { tail, std::nullopt, 0 };
            while (at.end < tail + m_geometry.ring_length()) {
                auto next = step(at.end, at.sequence, at.epoch);
                if (!next)
                    break;
                steps.push_back(*next);
                at = *next;
            }
            return steps;
        }

        void records()
        {
            if (head_in_range())
                records_from(Step { m_shape.anchor.tail.value(), std::nullopt, 0 });
        }

        // Every node reachable from the anchor lies in [tail, log start), verifies, and holds
        // keys inside the range its parent gives it; every value reference points at the put
        // of that key inside a verified Txn record in [tail, head).
        void index(const storage::TreeRoot& root)
        {
            if (!root.empty())
                node(root.position, root.length, root.level, std::nullopt, std::nullopt);
        }

        // The highest record position a value reference of the index walk named.
        uint64_t highest_value() const { return m_highest_value; }
        // Collect every key and value the index walk verifies, in key order.
        void collect(TreeContents* contents) { m_contents = contents; }

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
            m_highest_value = std::max(m_highest_value, record);
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
                || ring::record_crc(m_buffer.data(), header.length) != header.crc) {
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
            if (m_contents)
                m_contents->emplace_back(key, std::vector<uint8_t>(op.value().value.begin(), op.value().value.end()));
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
        uint64_t m_highest_value { 0 };
        TreeContents* m_contents { nullptr };
    };

    // Forwards to a device and keeps which byte ranges were read: what a result depends on.
    class RecordingSsd final : public ring::Ssd {
    public:
        explicit RecordingSsd(ring::Ssd& inner)
            : m_inner(inner)
        {
        }
        uint64_t size() const override { return m_inner.size(); }
        ErrorOr<void> read(DeviceOffset offset, Bytes out) override
        {
            m_reads.push_back({ offset.value(), offset.value() + out.size() });
            return m_inner.read(offset, out);
        }
        ErrorOr<void> write(DeviceOffset offset, ReadonlyBytes data) override { return m_inner.write(offset, data); }
        ErrorOr<void> flush() override { return m_inner.flush(); }

        // The ranges read, sorted and merged.
        std::vector<std::pair<uint64_t, uint64_t>> ranges()
        {
            std::sort(m_reads.begin(), m_reads.end());
            std::vector<std::pair<uint64_t, uint64_t>> merged;
            for (auto const& range : m_reads) {
                if (!merged.empty() && range.first <= merged.back().second)
                    merged.back().second = std::max(merged.back().second, range.second);
                else
                    merged.push_back(range);
            }
            return merged;
        }

    private:
        ring::Ssd& m_inner;
        std::vector<std::pair<uint64_t, uint64_t>> m_reads;
    };

    // What this thread verified on one durable image, for every state over it. Each entry is
    // a walk that read only bytes of the durable image (no page a state changes), so it gives
    // the same result for every state that leaves those bytes alone; entries are found by
    // the durable image's content hash and the shape a walk started from.
    struct Memo {
        uint64_t durable_hash { 0 };
        struct Chain {
            uint64_t tail;
            std::vector<Walker::Step> steps; // records from tail, as far as they verify
        };
        struct Index {
            storage::TreeRoot root;
            uint64_t tail;
            uint64_t log_start;
            uint64_t highest_value; // valid for heads above it
            std::vector<std::pair<uint64_t, uint64_t>> reads; // device ranges, sorted, merged
            std::shared_ptr<const TreeContents> contents;
        };
        std::vector<Chain> chains;
        std::vector<Index> indexes;
    };
    thread_local Memo t_memo;
    // A few shapes a durable image: a mount's tail and root, and those of a checkpoint whose
    // anchor was pending at the cut.
    constexpr size_t kMemoEntries = 8;

    // Whether the state changed any byte of the (sorted, merged) device ranges.
    bool touches(const ViewSsd& ssd, const std::vector<std::pair<uint64_t, uint64_t>>& ranges)
    {
        for (auto const& [start, end] : ssd.changed()) {
            // The first range that ends after the change starts.
            auto at = std::upper_bound(ranges.begin(), ranges.end(), start,
                [](uint64_t offset, const std::pair<uint64_t, uint64_t>& range) { return offset < range.second; });
            if (at != ranges.end() && at->first < end)
                return true;
        }
        return false;
    }

    // The first ring position at or after `tail` whose byte the state may have changed.
    uint64_t first_touched(const ViewSsd& ssd, const ring::Geometry& geometry, uint64_t tail)
    {
        uint64_t const length = geometry.ring_length();
        uint64_t const at = tail % length;
        uint64_t first = ~0ULL;
        for (auto const& [start, end] : ssd.changed()) {
            if (end <= ring::kRingStart)
                continue; // the anchors: outside the ring
            uint64_t const from = std::max(start, ring::kRingStart) - ring::kRingStart;
            uint64_t const to = end - ring::kRingStart;
            uint64_t position;
            if (at >= from && at < to)
                position = tail;
            else if (from > at)
                position = tail + (from - at);
            else
                position = tail + (length - at + from);
            first = std::min(first, position);
        }
        return first;
    }

    void incremental_check(ViewSsd& ssd, uint64_t durable_hash, const storage::StoreShape& shape,
        const storage::TreeRoot& root, std::vector<Violation>& violations,
        std::shared_ptr<const TreeContents>* contents)
    {
        if (t_memo.durable_hash != durable_hash) {
            t_memo = Memo {};
            t_memo.durable_hash = durable_hash;
        }
        auto const geometry = ring::Geometry::create(ssd.size()).value();
        uint64_t const tail = shape.anchor.tail.value();
        uint64_t const head = shape.head.value();

        // Records: the ones from the tail up to the first changed byte (and the head) were
        // verified on the durable image; the walk goes on from there with this state's bytes.
        Walker walker(ssd, shape, violations);
        if (walker.head_in_range()) {
            auto chain = std::find_if(
                t_memo.chains.begin(), t_memo.chains.end(), [&](const Memo::Chain& c) { return c.tail == tail; });
            if (chain == t_memo.chains.end()) {
                if (t_memo.chains.size() >= kMemoEntries)
                    t_memo.chains.clear();
                ViewSsd durable(StateView { ssd.durable(), durable_hash, {} });
                std::vector<Violation> ignored;
                Walker on_durable(durable, shape, ignored);
                t_memo.chains.push_back(Memo::Chain { tail, on_durable.chain(tail) });
                chain = t_memo.chains.end() - 1;
            }
            uint64_t const limit = std::min(first_touched(ssd, geometry, tail), head);
            auto const& steps = chain->steps;
            auto const reused = std::upper_bound(steps.begin(), steps.end(), limit,
                [](uint64_t end, const Walker::Step& step) { return end < step.end; });
            walker.records_from(reused == steps.begin() ? Walker::Step { tail, std::nullopt, 0 } : *(reused - 1));
        }

        // The index: a clean walk that read no changed byte holds for every state with the
        // same root, tail and log start whose head lies above every value it referenced.
        if (root.empty()) {
            if (contents)
                *contents = std::make_shared<const TreeContents>();
            return;
        }
        for (auto const& index : t_memo.indexes) {
            if (index.root.position == root.position && index.root.length == root.length
                && index.root.level == root.level && index.tail == tail
                && index.log_start == shape.anchor.log_start.value() && index.highest_value < head
                && !touches(ssd, index.reads)) {
                if (contents)
                    *contents = index.contents;
                return;
            }
        }
        RecordingSsd recording(ssd);
        std::vector<Violation> found;
        Walker index_walker(recording, shape, found);
        auto walked = std::make_shared<TreeContents>();
        index_walker.collect(walked.get());
        index_walker.index(root);
        auto reads = recording.ranges();
        if (found.empty()) {
            if (contents)
                *contents = walked;
            if (!touches(ssd, reads)) {
                if (t_memo.indexes.size() >= kMemoEntries)
                    t_memo.indexes.clear();
                t_memo.indexes.push_back(Memo::Index { root, tail, shape.anchor.log_start.value(),
                    index_walker.highest_value(), std::move(reads), walked });
            }
        }
        violations.insert(violations.end(), found.begin(), found.end());
    }

} // namespace

void check_structure(ViewSsd& ssd, std::optional<uint64_t> durable_hash, const storage::StoreShape& shape,
    const storage::TreeRoot& root, std::vector<Violation>& violations, std::shared_ptr<const TreeContents>* contents)
{
    if (durable_hash) {
        incremental_check(ssd, *durable_hash, shape, root, violations, contents);
        return;
    }
    Walker walker(ssd, shape, violations);
    walker.records();
    walker.index(root);
}

} // namespace ferros::check
