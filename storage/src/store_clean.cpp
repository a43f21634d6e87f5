// Store: checkpoints (folding the overlay into the index) and ring rotation (carrying live
// records forward from the tail so that the tail can advance).
#include <ferros/ring/mem.h>
#include <ferros/storage/store.h>
#include <ferros/storage/txn_op.h>

namespace ferros::storage {

using ring::Anchor;
using ring::kRecordHeaderSize;
using ring::RingPosition;

uint64_t Store::checkpoint_bound(size_t extra_entries) const
{
    // A checkpoint writes only nodes of the new index: at most the old index and the new
    // entries, plus the headers and parent entries of nodes split or cut short per level.
    uint64_t const entries = m_overlay.count() + extra_entries;
    uint64_t const levels = root().empty() ? 1 : root().level + 2;
    return m_tree_bytes + m_overlay.key_bytes() + entries * 48 + levels * 1024;
}

uint64_t Store::span(RingPosition from, uint64_t bytes, uint64_t largest) const
{
    uint64_t const room = m_geometry.room_before_end(from);
    if (bytes <= room)
        return bytes;
    // The records that fit go before the end; the first one that does not leaves less room
    // than itself behind, and append skips it (behind a Pad, or by itself under a header).
    uint64_t const lost = largest == 0 || room < largest ? room : largest - 1;
    return bytes + lost;
}

uint64_t Store::cleaning_reserve() const
{
    // Only one of the two can stand behind a Pad: a lap is longer than both.
    uint64_t const padded = max_record() > kMaxNodeRecord ? max_record() : kMaxNodeRecord;
    return max_record() + padded;
}

ErrorOr<void> Store::ensure_room(uint64_t footprint, size_t entries, size_t key_bytes)
{
    if (m_head.value() - m_anchor.log_start.value() + footprint > log_budget()
        || !m_overlay.can_take(entries, key_bytes)) {
        auto done = checkpoint(m_anchor.tail);
        if (done.is_error())
            return fail(done.release_error());
    }
    // Room for this record, a checkpoint, a Pad at the ring's end, and a whole cleaning pass
    // of live records to carry forward: cleaning starts early enough that a pass over a
    // tail that is still mostly live (the first lap after a fill) makes progress.
    // Each cleaning pass advances the tail by up to a quarter ring; a few laps' worth of
    // passes without enough room means the live data does not leave enough to work with.
    // The record's own Pad counts: a commit that leaves the head just past a Pad must still
    // leave a cleaning step's room, or the next pass cannot carry a large live record forward
    // and the store refuses every commit from then on.
    for (int pass = 0; pass < 16; ++pass) {
        if (free_bytes()
            >= span(m_head, footprint, footprint) + checkpoint_bound(entries) + cleaning_reserve() + clean_chunk() / 4)
            return {};
        auto cleaned = clean();
        if (cleaned.is_error()) {
            if (cleaned.error().code() == ErrorCode::NoSpace && !m_failed)
                return cleaned.release_error();
            return fail(cleaned.release_error());
        }
    }
    return Error(ErrorCode::NoSpace, "cleaning cannot free enough of the ring");
}

ErrorOr<void> Store::checkpoint(RingPosition new_tail)
{
    Anchor next = m_anchor;
    next.generation = m_anchor.generation + 1;
    next.epoch = m_epoch;
    next.tail = new_tail;

    if (m_options.bug == SeededBug::AnchorBeforeData) {
        // Seeded bug: learn where the nodes will go with a dry run, then write the anchor
        // first. The real merge produces the same nodes at the same positions.
        auto const head = m_head;
        auto const sequence = m_next_sequence;
        m_dry_run = true;
        auto dry = m_tree.merge(root(), m_overlay, node_sink());
        m_dry_run = false;
        if (dry.is_error())
            return dry.release_error();
        Anchor early = next;
        early.root = dry.value().root.position;
        early.root_length = dry.value().root.length;
        early.root_level = dry.value().root.level;
        early.log_start = m_head;
        early.log_sequence = m_next_sequence;
        early.live_charge = m_live_charge;
        early.tree_bytes = m_tree_bytes - dry.value().bytes_freed + dry.value().bytes_written;
        m_head = head;
        m_next_sequence = sequence;
        TRY(write_anchor(early));
    }

    auto const merged = TRY(m_tree.merge(root(), m_overlay, node_sink()));
    next.root = merged.root.position;
    next.root_length = merged.root.length;
    next.root_level = merged.root.level;
    next.log_start = m_head;
    next.log_sequence = m_next_sequence;
    next.live_charge = m_live_charge;
    next.tree_bytes = m_tree_bytes - merged.bytes_freed + merged.bytes_written;

    // The anchor is the checkpoint's commit record: everything it points to must be durable
    // before it is written, and it must be durable before the tail it names frees anything.
    if (m_options.bug != SeededBug::NoFlushBeforeCommit)
        TRY(m_ssd.flush());
    if (m_options.bug != SeededBug::AnchorBeforeData)
        TRY(write_anchor(next));
    TRY(m_ssd.flush());

    m_anchor = next;
    m_tree_bytes = next.tree_bytes;
    m_overlay.clear();
    m_write_stats.checkpoints++;
    return {};
}

ErrorOr<Store::LivePart> Store::live_part(RingPosition position, uint64_t length)
{
    // Keep the puts that are still the current value of their key, compacting them in place.
    uint8_t* record = m_io;
    auto reader = TRY(TxnReader::create(record, length));
    LivePart live;
    uint64_t write = reader.offset();
    while (!reader.done()) {
        auto const op = TRY(reader.next());
        bool current = false;
        if (op.kind == TxnOpKind::Put) {
            ValueRef ref;
            current = TRY(lookup(op.key, ref)) && ref.record == position && ref.offset == op.value_offset();
        }
        // The decoded op points into the record; moving it down never overwrites what is
        // still to be read (write <= the op's offset).
        if (current) {
            live.key_bytes += op.key.size();
            ring::move_bytes(record + write, record + op.offset, op.size());
            write += op.size();
            ++live.ops;
        }
    }
    if (live.ops == 0)
        return live;
    encode_txn_payload_header(record, live.ops);
    store_le32(record + 8, static_cast<uint32_t>(write));
    live.length = write;
    return live;
}

ErrorOr<void> Store::relocate(const LivePart& live)
{
    // The compacted record is in m_io: appended as one relocation record.
    auto const moved = TRY(append(m_io, ring::RecordType::Txn, ring::kTxnFlagRelocation, m_live_charge));
    TRY(apply_txn(m_io, live.length, moved));
    m_write_stats.relocation_bytes += ring::record_footprint(live.length);
    return {};
}

ErrorOr<void> Store::clean()
{
    uint64_t const tail = m_anchor.tail.value();
    uint64_t const chunk = clean_chunk();
    uint64_t cursor = tail;

    if (m_options.bug == SeededBug::FreeBeforeRelocate) {
        // Seeded bug: decide how far the tail goes and make that durable before the live
        // records there have been copied anywhere.
        uint64_t sequence = m_anchor.log_sequence.value();
        uint64_t end = tail;
        while (end < m_head.value() && end - tail < chunk) {
            uint64_t const room = m_geometry.room_before_end(RingPosition(end));
            if (room < kRecordHeaderSize) {
                end += room;
                continue;
            }
            TRY(m_ssd.read(m_geometry.offset_of(RingPosition(end)), Bytes(m_io, kRecordHeaderSize)));
            auto const header = TRY(ring::decode_header(m_io));
            end += header.type == ring::RecordType::Pad ? room : ring::record_footprint(header.length);
            sequence = header.sequence.value() + 1;
        }
        Anchor early = m_anchor;
        early.generation = m_anchor.generation + 1;
        early.tail = RingPosition(end);
        if (early.log_start.value() < end) {
            early.log_start = RingPosition(end);
            early.log_sequence = SequenceNumber(end == m_head.value() ? m_next_sequence.value() : sequence);
        }
        TRY(write_anchor(early));
        TRY(m_ssd.flush());
        m_anchor = early;
        cursor = tail;
    }

    while (cursor < m_head.value() && cursor - tail < chunk) {
        uint64_t const room = m_geometry.room_before_end(RingPosition(cursor));
        if (room < kRecordHeaderSize) {
            cursor += room;
            continue;
        }
        TRY(m_ssd.read(m_geometry.offset_of(RingPosition(cursor)), Bytes(m_io, kRecordHeaderSize)));
        auto const header = TRY(ring::decode_header(m_io));
        if (header.position.value() != cursor || header.length > room)
            return Error(ErrorCode::Corrupt, "record between tail and head does not verify");
        if (header.type == ring::RecordType::Pad) {
            cursor += room;
            continue;
        }
        uint64_t const footprint = ring::record_footprint(header.length);
        if (header.length > kRecordHeaderSize)
            TRY(m_ssd.read(m_geometry.offset_of(RingPosition(cursor + kRecordHeaderSize)),
                Bytes(m_io + kRecordHeaderSize, header.length - kRecordHeaderSize)));
        if (ring::record_crc(m_io, header.length) != header.crc)
            return Error(ErrorCode::Corrupt, "record between tail and head fails its checksum");

        if (header.type == ring::RecordType::Node) {
            uint32_t const level = m_io[kRecordHeaderSize];
            TRY(validate_node(m_io, header.length, level));
            NodeReader reader(m_io, header.length);
            NodeEntry first;
            reader.next(first);
            KeyBuffer key;
            ring::copy_bytes(key.bytes, first.key.data(), first.key.size());
            key.length = first.key.size();
            if (TRY(m_tree.node_is_live(root(), RingPosition(cursor), level, key.view()))) {
                if (!m_overlay.can_take(1, key.length))
                    break;
                TRY(m_overlay.upsert(key.view(), OverlayKind::Touch, ValueRef {}));
            }
            cursor += footprint;
            continue;
        }

        // A record with nothing live is passed over at no cost. Asking room for all of it
        // first stalled the store for good after a cut between a pass's relocation records and
        // its checkpoint: the replayed copies make the tail's records dead, and the ring then
        // had too little room left to "carry" any of them.
        auto const live = TRY(live_part(RingPosition(cursor), header.length));
        if (live.ops > 0) {
            // Room for the relocation record and the checkpoint that ends the pass, each with
            // the Pad it may need at the ring's end: without them the checkpoint could run out
            // of ring halfway through its index nodes.
            uint64_t const moved = ring::record_footprint(live.length);
            uint64_t const relocation = span(m_head, moved, moved);
            uint64_t const nodes
                = span(RingPosition(m_head.value() + relocation), checkpoint_bound(live.ops), kMaxNodeRecord);
            if (!m_overlay.can_take(live.ops, live.key_bytes) || free_bytes() < relocation + nodes)
                break;
            TRY(relocate(live));
        }
        cursor += footprint;
    }
    if (cursor == tail && m_options.bug != SeededBug::FreeBeforeRelocate)
        return Error(ErrorCode::NoSpace, "no room to carry the tail forward");
    m_write_stats.cleanings++;
    return checkpoint(RingPosition(cursor > m_anchor.tail.value() ? cursor : m_anchor.tail.value()));
}

} // namespace ferros::storage
