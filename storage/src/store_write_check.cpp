// Store: fail-stop checks of the store's own writes (docs/storage-format.md, 6.1). The store
// server runs with faults injected into its registers and stack (docs/kernel.md, "Fault
// injection"); a bit that goes bad between building a record and the device must stop the store
// before anyone is answered, not leave a record that mount rejects (R2) or trusts wrongly (R6).
// The checks recompute what the write path computed, from the device and with the decoders
// mount uses, so that one bad register cannot make both agree.
#include <ferros/base/crc32c.h>
#include <ferros/ring/mem.h>
#include <ferros/storage/node.h>
#include <ferros/storage/store.h>
#include <ferros/storage/txn_op.h>

namespace ferros::storage {

using ring::kRecordHeaderSize;

namespace {

    ErrorOr<void> check_payload(const uint8_t* record, const ring::RecordHeader& header)
    {
        if (header.type == ring::RecordType::Node) {
            if (header.length <= kRecordHeaderSize)
                return Error(ErrorCode::Corrupt, "an index node without entries");
            return validate_node(record, header.length, record[kRecordHeaderSize]);
        }
        if (header.type == ring::RecordType::Txn) {
            auto reader = TRY(TxnReader::create(record, header.length));
            while (!reader.done())
                TRY(reader.next());
        }
        return {};
    }

    bool same_header(const ring::RecordHeader& a, const ring::RecordHeader& b)
    {
        return a.type == b.type && a.flags == b.flags && a.length == b.length && a.sequence == b.sequence
            && a.position == b.position && a.epoch == b.epoch && a.aux == b.aux;
    }

} // namespace

ErrorOr<void> Store::stop(const char* what)
{
    m_fail_stopped = true;
    return fail(Error(ErrorCode::Corrupt, what));
}

ErrorOr<void> Store::write_record_checked(DeviceOffset offset, const uint8_t* record, const ring::RecordHeader& built)
{
    // Before the write: the sealed record decodes, as mount will decode it, to what was built.
    auto decoded = ring::decode_header(record);
    if (decoded.is_error() || !same_header(decoded.value(), built))
        return stop("write check: a sealed record's header is not the one built");
    if (check_payload(record, built).is_error())
        return stop("write check: a sealed record's payload does not decode");
    uint32_t const sealed_crc = decoded.value().crc;
    if (auto written = m_ssd.write(offset, ReadonlyBytes(record, built.length)); written.is_error())
        return fail(written.release_error());

    // After it: the device holds a record with the header built whose CRC, computed again from
    // the device's bytes, is the sealed one. A wrong CRC at sealing, a short or stray copy and
    // a record pointer gone bad all fail here. Read in pieces: m_io may be the record itself.
    uint8_t chunk[256];
    uint32_t crc = 0;
    for (uint64_t done = 0; done < built.length;) {
        uint64_t const n = built.length - done < sizeof chunk ? built.length - done : sizeof chunk;
        if (auto read = m_ssd.read(DeviceOffset(offset.value() + done), Bytes(chunk, n)); read.is_error())
            return fail(read.release_error());
        if (done == 0) {
            auto on_device = ring::decode_header(chunk);
            if (on_device.is_error() || !same_header(on_device.value(), built))
                return stop("write check: the device does not hold the record's header");
            // The CRC is taken with its own field as zero (docs/storage-format.md, 3).
            store_le32(chunk + 12, 0);
        }
        crc = crc32c(crc, chunk, n);
        done += n;
    }
    if (crc != sealed_crc)
        return stop("write check: the record on the device fails its checksum");
    return {};
}

ErrorOr<void> Store::write_checked(DeviceOffset offset, ReadonlyBytes data)
{
    if (auto written = m_ssd.write(offset, data); written.is_error())
        return fail(written.release_error());
    uint8_t chunk[256];
    for (size_t done = 0; done < data.size();) {
        size_t const n = data.size() - done < sizeof chunk ? data.size() - done : sizeof chunk;
        if (auto read = m_ssd.read(DeviceOffset(offset.value() + done), Bytes(chunk, n)); read.is_error())
            return fail(read.release_error());
        if (__builtin_memcmp(chunk, data.data() + done, n) != 0)
            return stop("write check: the device does not hold what was written");
        done += n;
    }
    return {};
}

} // namespace ferros::storage
