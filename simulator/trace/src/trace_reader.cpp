#include "trace_generated.h"
#include <cstring>
#include <ferros/base/bytes.h>
#include <ferros/trace/leb128.h>
#include <ferros/trace/trace_format.h>
#include <ferros/trace/trace_reader.h>
#include <zstd.h>

namespace ferros::trace {

namespace {

    struct FrameHeader {
        uint32_t type;
        uint32_t stored;
        uint32_t raw;
        uint32_t crc;
    };

    // Reads a frame header at the current position. Truncated when the file ends inside it.
    ErrorOr<FrameHeader> read_frame_header(FILE* file)
    {
        uint8_t bytes[kFrameHeaderSize];
        size_t got = fread(bytes, 1, sizeof(bytes), file);
        if (got != sizeof(bytes))
            return Error(ErrorCode::Truncated,
                got == 0 ? "the trace ends before its footer" : "the trace ends inside a frame header");
        FrameHeader header { load_le32(bytes), load_le32(bytes + 4), load_le32(bytes + 8), load_le32(bytes + 12) };
        if (header.type < static_cast<uint32_t>(FrameType::Header)
            || header.type > static_cast<uint32_t>(FrameType::Footer))
            return Error(ErrorCode::Corrupt, "a frame header has an unknown type");
        if (header.stored > kMaxFrameBytes || header.raw > kMaxFrameBytes)
            return Error(ErrorCode::Corrupt, "a frame header has an impossible size");
        return header;
    }

    // The schema has three tables and no single root type, so each frame names its table.
    template<typename Table>
    bool verify(flatbuffers::Verifier& verifier)
    {
        return verifier.VerifyBuffer<Table>(nullptr);
    }

} // namespace

TraceReader::TraceReader(TraceReader&& other)
    : m_file(other.m_file)
    , m_header(std::move(other.m_header))
    , m_footer(other.m_footer)
    , m_first_chunk_offset(other.m_first_chunk_offset)
    , m_footer_offset(other.m_footer_offset)
    , m_next_chunk(other.m_next_chunk)
    , m_next_event(other.m_next_event)
    , m_last_boundary(other.m_last_boundary)
    , m_zstd(other.m_zstd)
{
    other.m_file = nullptr;
    other.m_zstd = nullptr;
}

TraceReader::~TraceReader()
{
    if (m_file)
        fclose(m_file);
    ZSTD_freeDCtx(static_cast<ZSTD_DCtx*>(m_zstd));
}

ErrorOr<void> TraceReader::read_frame(uint32_t expected_type, std::vector<uint8_t>& raw)
{
    FrameHeader frame = TRY(read_frame_header(m_file));
    if (frame.type != expected_type)
        return Error(ErrorCode::Corrupt, "frames are out of order");
    // Size nothing from a header before the file and the compressed frame vouch for it: a
    // 32-byte file must not make the reader allocate a gigabyte.
    long const here = ftell(m_file);
    if (here < 0 || fseek(m_file, 0, SEEK_END) != 0)
        return Error(ErrorCode::Truncated, "the trace cannot be measured");
    long const end = ftell(m_file);
    fseek(m_file, here, SEEK_SET);
    if (end < here || static_cast<uint64_t>(end - here) < frame.stored)
        return Error(ErrorCode::Truncated, "the trace ends inside a frame");
    m_stored.resize(frame.stored);
    if (fread(m_stored.data(), 1, frame.stored, m_file) != frame.stored)
        return Error(ErrorCode::Truncated, "the trace ends inside a frame");
    if (frame_checksum(m_stored.data(), m_stored.size()) != frame.crc)
        return Error(ErrorCode::Corrupt, "a frame's checksum does not match its bytes");
    if (ZSTD_getFrameContentSize(m_stored.data(), m_stored.size()) != frame.raw)
        return Error(ErrorCode::Corrupt, "a frame does not decompress to its recorded size");
    raw.resize(frame.raw);
    if (!m_zstd)
        m_zstd = ZSTD_createDCtx();
    size_t got = ZSTD_decompressDCtx(
        static_cast<ZSTD_DCtx*>(m_zstd), raw.data(), raw.size(), m_stored.data(), m_stored.size());
    if (ZSTD_isError(got) || got != frame.raw)
        return Error(ErrorCode::Corrupt, "a frame does not decompress to its recorded size");
    return {};
}

ErrorOr<TraceReader> TraceReader::open(const std::string& path)
{
    FILE* file = fopen(path.c_str(), "rb");
    if (!file)
        return Error(ErrorCode::NotFound, "cannot open the trace file");
    TraceReader reader(file);

    uint8_t file_header[kFileHeaderSize];
    size_t got = fread(file_header, 1, sizeof(file_header), file);
    if (got >= sizeof(kFileMagic) && memcmp(file_header, kFileMagic, sizeof(kFileMagic)) != 0)
        return Error(ErrorCode::BadFormat, "not a Ferros trace (bad magic)");
    if (got != sizeof(file_header))
        return Error(ErrorCode::Truncated, "the trace ends inside its file header");
    if (load_le32(file_header + 8) != kFormatVersion)
        return Error(ErrorCode::Unsupported, "trace format version is not 1");
    if (load_le32(file_header + 12) != 0)
        return Error(ErrorCode::BadFormat, "the trace's file header has a non-zero reserved field");

    std::vector<uint8_t> raw;
    TRY(reader.read_frame(static_cast<uint32_t>(FrameType::Header), raw));
    flatbuffers::Verifier header_verifier(raw.data(), raw.size());
    if (!verify<fb::Header>(header_verifier))
        return Error(ErrorCode::BadFormat, "the header frame is not a valid Header table");
    auto const* header = flatbuffers::GetRoot<fb::Header>(raw.data());
    TraceHeader& h = reader.m_header;
    h.format_version = header->format_version();
    h.kernel_hash = header->kernel_hash();
    h.workload_hash = header->workload_hash();
    h.has_workload = header->has_workload();
    h.image_hash = header->image_hash();
    h.policy = header->policy() ? header->policy()->str() : "";
    h.qemu_version = header->qemu_version() ? header->qemu_version()->str() : "";
    h.machine = header->machine() ? header->machine()->str() : "";
    h.ssd_base = header->ssd_base();
    h.ssd_size = header->ssd_size();
    h.chunk_events = header->chunk_events();
    if (h.format_version != kFormatVersion)
        return Error(ErrorCode::Unsupported, "trace header's format version is not 1");
    if (h.chunk_events == 0 || h.chunk_events > kMaxChunkEvents)
        return Error(ErrorCode::Corrupt, "trace header's chunk size is out of range");
    reader.m_first_chunk_offset = ftell(file);

    // Walk the frame headers to the footer: a truncated trace is refused here, up front.
    uint32_t chunks = 0;
    while (true) {
        long offset = ftell(file);
        FrameHeader frame = TRY(read_frame_header(file));
        if (frame.type == static_cast<uint32_t>(FrameType::Header))
            return Error(ErrorCode::Corrupt, "a second header frame");
        if (frame.type == static_cast<uint32_t>(FrameType::Footer)) {
            reader.m_footer_offset = offset;
            break;
        }
        ++chunks;
        if (fseek(file, frame.stored, SEEK_CUR) != 0)
            return Error(ErrorCode::Truncated, "the trace ends inside a frame");
    }
    fseek(file, reader.m_footer_offset, SEEK_SET);
    TRY(reader.read_frame(static_cast<uint32_t>(FrameType::Footer), raw));
    if (fgetc(file) != EOF)
        return Error(ErrorCode::Corrupt, "bytes follow the footer");
    flatbuffers::Verifier footer_verifier(raw.data(), raw.size());
    if (!verify<fb::Footer>(footer_verifier))
        return Error(ErrorCode::BadFormat, "the footer frame is not a valid Footer table");
    auto const* footer = flatbuffers::GetRoot<fb::Footer>(raw.data());
    TraceFooter& f = reader.m_footer;
    f.events = footer->events();
    f.chunks = footer->chunks();
    f.stores = footer->stores();
    f.flushes = footer->flushes();
    f.markers = footer->markers();
    f.end_boundary = footer->end_boundary();
    f.end_reason = footer->end_reason();
    if (f.chunks != chunks || f.stores + f.flushes + f.markers != f.events)
        return Error(ErrorCode::Corrupt, "the footer's counts do not match the chunks");
    reader.rewind();
    return reader;
}

void TraceReader::rewind()
{
    fseek(m_file, m_first_chunk_offset, SEEK_SET);
    m_next_chunk = 0;
    m_next_event = 0;
    m_last_boundary = 0;
}

ErrorOr<void> TraceReader::expect(const TraceExpectations& e) const
{
    if (e.kernel_hash && *e.kernel_hash != m_header.kernel_hash)
        return Error(ErrorCode::Mismatch, "the trace is of another kernel build");
    if (e.workload_hash && (!m_header.has_workload || *e.workload_hash != m_header.workload_hash))
        return Error(ErrorCode::Mismatch, "the trace is of another workload");
    if (e.image_hash && *e.image_hash != m_header.image_hash)
        return Error(ErrorCode::Mismatch, "the trace starts from another SSD image");
    return {};
}

ErrorOr<bool> TraceReader::next_chunk(std::vector<TraceEvent>& events)
{
    events.clear();
    if (m_next_chunk == m_footer.chunks) {
        if (m_next_event != m_footer.events)
            return Error(ErrorCode::Corrupt, "the chunks hold fewer events than the footer says");
        return false;
    }
    TRY(read_frame(static_cast<uint32_t>(FrameType::Chunk), m_raw));
    flatbuffers::Verifier verifier(m_raw.data(), m_raw.size());
    if (!verify<fb::Chunk>(verifier))
        return Error(ErrorCode::BadFormat, "a chunk frame is not a valid Chunk table");
    auto const* chunk = flatbuffers::GetRoot<fb::Chunk>(m_raw.data());
    auto const* kinds = chunk->kinds();
    auto const* sizes = chunk->sizes();
    auto const* boundary_deltas = chunk->boundary_deltas();
    auto const* address_deltas = chunk->address_deltas();
    auto const* values = chunk->values();
    if (!kinds || !sizes || !boundary_deltas || !address_deltas || !values)
        return Error(ErrorCode::BadFormat, "a chunk lacks one of its columns");
    size_t count = chunk->count();
    if (kinds->size() != count || sizes->size() != count || count == 0 || count > m_header.chunk_events)
        return Error(ErrorCode::Corrupt, "a chunk's columns differ in length");
    if (chunk->index() != m_next_chunk || chunk->first_event() != m_next_event
        || chunk->first_boundary() != m_last_boundary)
        return Error(ErrorCode::Corrupt, "a chunk is out of sequence");
    events.resize(count);
    size_t value_offset = 0, boundary_offset = 0, address_offset = 0;
    uint64_t boundary = m_last_boundary;
    uint64_t address = 0;
    for (size_t i = 0; i < count; ++i) {
        TraceEvent& event = events[i];
        uint8_t kind = kinds->Get(i);
        uint8_t size = sizes->Get(i);
        if (kind > static_cast<uint8_t>(EventKind::Marker))
            return Error(ErrorCode::Corrupt, "an event has an unknown kind");
        if (size == 0 || size > sizeof(event.value) || value_offset + size > values->size())
            return Error(ErrorCode::Corrupt, "an event's size does not fit its values");
        uint64_t boundary_delta, address_delta;
        if (!get_leb128(boundary_deltas->data(), boundary_deltas->size(), &boundary_offset, &boundary_delta)
            || !get_leb128(address_deltas->data(), address_deltas->size(), &address_offset, &address_delta))
            return Error(ErrorCode::Corrupt, "a chunk's delta columns end early");
        if (boundary + boundary_delta < boundary)
            return Error(ErrorCode::Corrupt, "event boundaries wrap around");
        boundary += boundary_delta;
        address += static_cast<uint64_t>(unzigzag(address_delta));
        event.kind = static_cast<EventKind>(kind);
        event.size = size;
        event.boundary = Boundary(boundary);
        event.address = PhysicalAddress(address);
        memcpy(event.value, values->data() + value_offset, size);
        value_offset += size;
    }
    if (value_offset != values->size() || boundary_offset != boundary_deltas->size()
        || address_offset != address_deltas->size())
        return Error(ErrorCode::Corrupt, "a chunk's columns hold bytes no event owns");
    if (boundary > m_footer.end_boundary)
        return Error(ErrorCode::Corrupt, "an event lies after the run's end");
    m_last_boundary = boundary;
    m_next_event += count;
    ++m_next_chunk;
    return true;
}

} // namespace ferros::trace
