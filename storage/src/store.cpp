// Store: construction, format, mount and replay, reads.
#include <ferros/ring/mem.h>
#include <ferros/storage/store.h>
#include <ferros/storage/txn_op.h>

namespace ferros::storage {

using ring::Anchor;
using ring::kRecordHeaderSize;
using ring::RingPosition;

namespace {

    ring::Geometry geometry_or_minimum(uint64_t size)
    {
        auto geometry = ring::Geometry::create(size);
        return geometry.is_error() ? ring::Geometry::create(ring::kMinDeviceSize).value() : geometry.value();
    }

    // Zeroes for format: static so that format needs no memory from the caller.
    constexpr uint8_t kZeroes[4096] = {};

} // namespace

Store::Store(ring::Ssd& ssd, Bytes memory, StoreOptions options)
    : m_ssd(ssd)
    , m_geometry(geometry_or_minimum(ssd.size()))
    , m_options(options)
    , m_memory(memory)
{
}

uint64_t Store::log_budget() const
{
    uint64_t const eighth = m_geometry.ring_length() / 8;
    uint64_t const budget = m_options.log_budget ? m_options.log_budget : kLogBudget;
    return eighth < budget ? eighth : budget;
}

uint64_t Store::max_record() const
{
    uint64_t const sixteenth = m_geometry.ring_length() / 16 & ~(ring::kRecordAlignment - 1);
    return sixteenth < ring::kMaxRecordSize ? sixteenth : ring::kMaxRecordSize;
}

uint64_t Store::clean_chunk() const
{
    uint64_t const eighth = m_geometry.ring_length() / 8;
    return eighth < kLogBudget ? eighth : kLogBudget;
}

uint64_t Store::mount_replay_bound() const
{
    return log_budget() + clean_chunk() + m_anchor.tree_bytes + 2 * max_record() + kMaxTreeLevels * kMaxNodeRecord;
}

uint64_t Store::capacity() const
{
    // At most 60% of the ring, and always leaving what ensure_room keeps free (records, a
    // cleaning pass, index nodes) plus a quarter ring of slack for the cleaner to find dead
    // records in: on small devices the reserve, not the 60%, is what limits.
    uint64_t const length = m_geometry.ring_length();
    uint64_t const reserve = 3 * max_record() + clean_chunk() + 3 * kMaxNodeRecord + length / 4;
    uint64_t const share = length / 5 * 3;
    uint64_t const room = length > reserve ? length - reserve : 0;
    return share < room ? share : room;
}

uint64_t Store::free_bytes() const
{
    uint64_t const length = m_geometry.ring_length();
    // Seeded bug: offsets within the ring instead of logical positions. Once the head has
    // wrapped ahead of the tail its offset is the smaller one, and the ring looks full.
    if (m_options.bug == SeededBug::FreeSpaceForgetsWrap) {
        uint64_t const head = m_head.value() % length;
        uint64_t const tail = m_anchor.tail.value() % length;
        return head >= tail ? length - (head - tail) : 0;
    }
    return length - (m_head.value() - m_anchor.tail.value());
}

TreeRoot Store::root() const { return TreeRoot { m_anchor.root, m_anchor.root_length, m_anchor.root_level }; }

StoreShape Store::shape() const { return StoreShape { m_anchor, m_head, m_next_sequence, m_epoch }; }

ErrorOr<void> Store::fail(Error error)
{
    m_failed = true;
    return error;
}

ErrorOr<void> Store::usable() const
{
    if (!m_mounted)
        return Error(ErrorCode::InvalidArgument, "store not mounted");
    if (m_failed)
        return Error(ErrorCode::Io, "an earlier device error: the store must be mounted again");
    return {};
}

ErrorOr<void> Store::format(ring::Ssd& ssd, StoreOptions options)
{
    auto geometry = TRY(ring::Geometry::create(ssd.size()));
    for (uint64_t offset = 0; offset < geometry.device_size(); offset += sizeof kZeroes)
        TRY(ssd.write(DeviceOffset(offset), ReadonlyBytes(kZeroes, sizeof kZeroes)));
    TRY(ssd.flush());
    Anchor anchor;
    anchor.generation = 1;
    anchor.epoch = 1;
    anchor.device_size = geometry.device_size();
    anchor.tail = RingPosition(0);
    anchor.log_start = RingPosition(0);
    anchor.log_sequence = SequenceNumber(1);
    uint8_t bytes[ring::kAnchorSize];
    encode_anchor(anchor, bytes);
    uint64_t const slot = options.bug == SeededBug::NonAtomicAnchor ? 0 : anchor.generation % ring::kAnchorSlots;
    TRY(ssd.write(ring::anchor_slot_offset(slot), ReadonlyBytes(bytes, sizeof bytes)));
    TRY(ssd.flush());
    return {};
}

ErrorOr<void> Store::write_anchor(const Anchor& anchor)
{
    uint8_t bytes[ring::kAnchorSize];
    encode_anchor(anchor, bytes);
    // The fail-stop check of the store's own writes (store_write_check.cpp), for the anchor.
    auto decoded = decode_anchor(bytes, m_geometry, ring::VerifyChecksum::Yes);
    if (decoded.is_error() || !(decoded.value() == anchor))
        return stop("write check: an encoded anchor is not the one built");
    // Generation g goes to slot g % kAnchorSlots: the anchor in force is never overwritten.
    uint64_t const slot = m_options.bug == SeededBug::NonAtomicAnchor ? 0 : anchor.generation % ring::kAnchorSlots;
    TRY(write_checked(ring::anchor_slot_offset(slot), ReadonlyBytes(bytes, sizeof bytes)));
    m_write_stats.anchor_bytes += sizeof bytes;
    return {};
}

ErrorOr<void> Store::mount() { return mount_from(nullptr, ReadonlyBytes()); }

ErrorOr<void> Store::mount_resuming(const ReplayPoint& resume, ReadonlyBytes overlay)
{
    return mount_from(&resume, overlay);
}

ErrorOr<void> Store::mount_from(const ReplayPoint* resume, ReadonlyBytes overlay)
{
    if (m_memory.size() < kMemorySize || reinterpret_cast<uintptr_t>(m_memory.data()) % 8 != 0)
        return Error(ErrorCode::NoMemory, "store memory smaller than Store::kMemorySize or unaligned");
    auto geometry = TRY(ring::Geometry::create(m_ssd.size()));
    m_geometry = geometry;
    m_txn = m_memory.data();
    m_io = m_memory.data() + kBufferSize;
    m_tree.init(m_memory.data() + 2 * kBufferSize, m_ssd, m_geometry);
    m_overlay.init(m_memory.data() + 2 * kBufferSize + Tree::kMemorySize);
    m_mounted = false;
    m_failed = false;
    m_txn_open = false;
    m_mount_stats = MountStats {};

    auto const verify
        = m_options.bug == SeededBug::ChecksumsNotVerified ? ring::VerifyChecksum::No : ring::VerifyChecksum::Yes;
    TRY(m_ssd.read(DeviceOffset(0), Bytes(m_io, ring::kRingStart)));
    m_mount_stats.anchor_slots_read = ring::kAnchorSlots;
    bool found = false;
    bool damaged = false;
    Anchor best;
    for (uint64_t slot = 0; slot < ring::kAnchorSlots; ++slot) {
        auto anchor = ring::decode_anchor(m_io + slot * ring::kAnchorSlotSize, m_geometry, verify);
        if (anchor.is_error()) {
            damaged |= anchor.error().code() != ErrorCode::NoAnchor;
            continue;
        }
        if (!found || anchor.value().generation > best.generation) {
            best = anchor.value();
            found = true;
        }
    }
    if (!found)
        return Error(damaged ? ErrorCode::Corrupt : ErrorCode::NoAnchor, "no valid anchor");

    m_anchor = best;
    m_tree_bytes = best.tree_bytes;
    if (best.has_root())
        TRY(m_tree.read_node(best.root, best.root_length, best.root_level));
    TRY(replay_log(best, resume, overlay));

    // A new epoch, made durable before any record carries it: a record of this epoch can then
    // never be confused with a stale one an earlier mount wrote past the head it found.
    Anchor opened = best;
    opened.generation = best.generation + 1;
    opened.epoch = best.epoch + 1;
    m_epoch = opened.epoch;
    TRY(write_anchor(opened));
    TRY(m_ssd.flush());
    m_anchor = opened;
    m_mounted = true;
    return {};
}

ErrorOr<void> Store::replay_log(const Anchor& anchor, const ReplayPoint* resume, ReadonlyBytes overlay)
{
    auto const verify = m_options.bug != SeededBug::ChecksumsNotVerified;
    uint64_t const limit = anchor.tail.value() + m_geometry.ring_length();
    uint64_t position = anchor.log_start.value();
    uint64_t sequence = anchor.log_sequence.value();
    uint64_t previous_epoch = 0;
    m_overlay.clear();
    m_live_charge = anchor.live_charge;
    if (resume && resume->anchor == anchor) {
        // Everything the loop below keeps, as it stood at resume->head.
        TRY(m_overlay.restore(overlay));
        position = resume->head.value();
        sequence = resume->next_sequence.value();
        previous_epoch = resume->epoch;
        m_live_charge = resume->live_charge;
        m_mount_stats = resume->stats;
    }

    // The log ends at the first record that is not exactly the one expected here: the right
    // magic, position, sequence number and checksum, of an epoch no older than the last.
    while (true) {
        uint64_t const room = m_geometry.room_before_end(RingPosition(position));
        if (room < kRecordHeaderSize) {
            position += room;
            continue;
        }
        if (position + kRecordHeaderSize > limit)
            break;
        TRY(m_ssd.read(m_geometry.offset_of(RingPosition(position)), Bytes(m_io, kRecordHeaderSize)));
        auto decoded = ring::decode_header(m_io);
        if (decoded.is_error())
            break;
        auto const header = decoded.value();
        if (header.position.value() != position || header.sequence.value() != sequence || header.epoch > anchor.epoch
            || header.epoch < previous_epoch)
            break;
        uint64_t const footprint = header.type == ring::RecordType::Pad ? room : ring::record_footprint(header.length);
        if (header.length > room || position + footprint > limit)
            break;
        if (header.length > kRecordHeaderSize)
            TRY(m_ssd.read(m_geometry.offset_of(RingPosition(position + kRecordHeaderSize)),
                Bytes(m_io + kRecordHeaderSize, header.length - kRecordHeaderSize)));
        if (verify && ring::record_crc(m_io, header.length) != header.crc)
            break;
        if (header.type == ring::RecordType::Txn) {
            auto applied = apply_txn(m_io, header.length, header.position);
            if (applied.is_error()) {
                if (applied.error().code() == ErrorCode::Corrupt)
                    break;
                return applied.release_error();
            }
            m_live_charge = header.aux;
        }
        m_mount_stats.log_records++;
        m_mount_stats.log_bytes += footprint;
        previous_epoch = header.epoch;
        ++sequence;
        position += footprint;
    }
    m_head = RingPosition(position);
    m_next_sequence = SequenceNumber(sequence);
    m_replay = ReplayPoint { anchor, m_head, m_next_sequence, previous_epoch, m_live_charge, m_mount_stats };
    return {};
}

ErrorOr<void> Store::apply_txn(const uint8_t* record, uint64_t length, RingPosition position)
{
    // Validate the whole record before changing anything.
    auto reader = TRY(TxnReader::create(record, length));
    size_t key_bytes = 0;
    while (!reader.done())
        key_bytes += TRY(reader.next()).key.size();
    if (reader.offset() != length)
        return Error(ErrorCode::Corrupt, "txn length disagrees with its operations");
    if (!m_overlay.can_take(reader.count(), key_bytes))
        return Error(ErrorCode::Corrupt, "log holds more changes than a checkpoint interval can");

    reader = TRY(TxnReader::create(record, length));
    while (!reader.done()) {
        auto const op = TRY(reader.next());
        if (op.kind == TxnOpKind::Put)
            TRY(m_overlay.upsert(op.key, OverlayKind::Put,
                ValueRef { position, op.value_offset(), static_cast<uint32_t>(op.value.size()) }));
        else
            TRY(m_overlay.upsert(op.key, OverlayKind::Delete, ValueRef {}));
    }
    return {};
}

ErrorOr<bool> Store::lookup(ReadonlyBytes key, ValueRef& ref)
{
    if (auto const* entry = m_overlay.find(key)) {
        if (entry->kind == OverlayKind::Put) {
            ref = entry->ref;
            return true;
        }
        if (entry->kind == OverlayKind::Delete)
            return false;
    }
    return m_tree.lookup(root(), key, ref);
}

ErrorOr<size_t> Store::get(ReadonlyBytes key, Bytes out)
{
    TRY(usable());
    if (key.size() < kMinKeyLength || key.size() > kMaxKeyLength)
        return Error(ErrorCode::TooBig, "key length");
    ValueRef ref;
    if (!TRY(lookup(key, ref)))
        return Error(ErrorCode::NotFound);
    if (ref.length > out.size())
        return Error(ErrorCode::TooBig, "output buffer smaller than the value");
    // A value lives between tail and head. A reference below the tail points into space the
    // ring has already given back, whatever bytes it still holds (seeded bug
    // free-before-relocate leaves such references; the host checker calls them R2 too).
    if (ref.record.value() < m_anchor.tail.value() || ref.record.value() >= m_head.value())
        return Error(ErrorCode::Corrupt, "value reference outside [tail, head)");
    uint64_t const room = m_geometry.room_before_end(ref.record);
    if (room < kRecordHeaderSize)
        return Error(ErrorCode::Corrupt, "value reference");
    TRY(m_ssd.read(m_geometry.offset_of(ref.record), Bytes(m_io, kRecordHeaderSize)));
    auto const header = TRY(ring::decode_header(m_io));
    if (header.type != ring::RecordType::Txn || header.position != ref.record || header.length > room
        || static_cast<uint64_t>(ref.offset) + ref.length > header.length || ref.offset < kRecordHeaderSize)
        return Error(ErrorCode::Corrupt, "value reference");
    TRY(m_ssd.read(m_geometry.offset_of(RingPosition(ref.record.value() + kRecordHeaderSize)),
        Bytes(m_io + kRecordHeaderSize, header.length - kRecordHeaderSize)));
    if (ring::record_crc(m_io, header.length) != header.crc)
        return Error(ErrorCode::Corrupt, "value record checksum");
    ring::copy_bytes(out.data(), m_io + ref.offset, ref.length);
    return static_cast<size_t>(ref.length);
}

ErrorOr<bool> Store::next_key(ReadonlyBytes key, bool inclusive, KeyBuffer& found, size_t& value_length)
{
    TRY(usable());
    KeyBuffer cursor;
    ring::copy_bytes(cursor.bytes, key.data(), key.size() < kMaxKeyLength ? key.size() : kMaxKeyLength);
    cursor.length = key.size() < kMaxKeyLength ? key.size() : kMaxKeyLength;
    while (true) {
        size_t const index = m_overlay.lower_bound(cursor.view(), inclusive);
        bool const have_overlay = index < m_overlay.count();
        KeyBuffer tree_key;
        ValueRef tree_ref;
        bool const have_tree = TRY(m_tree.successor(root(), cursor.view(), inclusive, tree_key, tree_ref));
        if (!have_overlay && !have_tree)
            return false;
        int c = 1;
        if (have_overlay) {
            auto const overlay_key = m_overlay.key_of(m_overlay.at(index));
            c = have_tree ? ring::compare_keys(overlay_key.data(), overlay_key.size(), tree_key.bytes, tree_key.length)
                          : -1;
        }
        if (c > 0 || (c == 0 && m_overlay.at(index).kind == OverlayKind::Touch)) {
            found = tree_key;
            value_length = tree_ref.length;
            return true;
        }
        auto const& entry = m_overlay.at(index);
        auto const overlay_key = m_overlay.key_of(entry);
        ring::copy_bytes(cursor.bytes, overlay_key.data(), overlay_key.size());
        cursor.length = overlay_key.size();
        if (entry.kind == OverlayKind::Put) {
            found = cursor;
            value_length = entry.ref.length;
            return true;
        }
        // A deleted key, or a touch of a key the tree does not hold: look past it.
        inclusive = false;
    }
}

} // namespace ferros::storage
