// Store: the walk of every record between tail and head for the kernel's boot self-check. It
// checks what the host checker's walk checks (storage/check/src/structure.cpp), with the
// store's own buffer, so that a rebooted kernel and the host agree on R2 for the records.
#include <ferros/ring/mem.h>
#include <ferros/storage/node.h>
#include <ferros/storage/store.h>

namespace ferros::storage {

using ring::kRecordHeaderSize;
using ring::RingPosition;

ErrorOr<RecordWalk> Store::verify_records()
{
    TRY(usable());
    uint64_t const tail = m_anchor.tail.value();
    uint64_t const head = m_head.value();
    if (head < m_anchor.log_start.value() || head - tail > m_geometry.ring_length())
        return Error(ErrorCode::Corrupt, "head outside [log start, tail + ring length]");
    RecordWalk walk;
    uint64_t position = tail;
    bool have_sequence = false;
    uint64_t sequence = 0;
    uint64_t epoch = 0;
    while (position < head) {
        uint64_t const room = m_geometry.room_before_end(RingPosition(position));
        if (room < kRecordHeaderSize) {
            position += room;
            continue;
        }
        TRY(m_ssd.read(m_geometry.offset_of(RingPosition(position)), Bytes(m_io, kRecordHeaderSize)));
        auto decoded = ring::decode_header(m_io);
        if (decoded.is_error())
            return Error(ErrorCode::Corrupt, "a record between tail and head does not decode");
        auto const header = decoded.value();
        if (header.position.value() != position)
            return Error(ErrorCode::Corrupt, "a record between tail and head names another position");
        if (have_sequence && header.sequence.value() != sequence + 1)
            return Error(ErrorCode::Corrupt, "a record between tail and head breaks the sequence");
        if (header.epoch < epoch)
            return Error(ErrorCode::Corrupt, "a record between tail and head goes back an epoch");
        if (header.length > room)
            return Error(ErrorCode::Corrupt, "a record between tail and head straddles the ring's end");
        if (header.length > kRecordHeaderSize)
            TRY(m_ssd.read(m_geometry.offset_of(RingPosition(position + kRecordHeaderSize)),
                Bytes(m_io + kRecordHeaderSize, header.length - kRecordHeaderSize)));
        if (ring::record_crc(m_io, header.length) != header.crc)
            return Error(ErrorCode::Corrupt, "a record between tail and head fails its checksum");
        if (header.type == ring::RecordType::Node)
            TRY(validate_node(m_io, header.length, m_io[kRecordHeaderSize]));
        have_sequence = true;
        sequence = header.sequence.value();
        epoch = header.epoch;
        ++walk.records;
        position += header.type == ring::RecordType::Pad ? room : ring::record_footprint(header.length);
    }
    if (position != head)
        return Error(ErrorCode::Corrupt, "the records between tail and head end past the head");
    if (have_sequence && sequence + 1 != m_next_sequence.value())
        return Error(ErrorCode::Corrupt, "the head's sequence number does not follow the last record");
    walk.bytes = head - tail;
    return walk;
}

} // namespace ferros::storage
