#include "trace_generated.h"
#include <cstring>
#include <ferros/base/bytes.h>
#include <ferros/base/crc32c.h>
#include <ferros/trace/trace_format.h>
#include <ferros/trace/trace_writer.h>
#include <zstd.h>

namespace ferros::trace {

ErrorOr<std::unique_ptr<TraceWriter>> TraceWriter::create(
    const std::string& path, TraceHeader header, uint32_t chunk_events)
{
    if (chunk_events == 0 || chunk_events > kMaxChunkEvents)
        return Error(ErrorCode::InvalidArgument, "chunk_events must be 1..kMaxChunkEvents");
    FILE* file = fopen(path.c_str(), "wb");
    if (!file)
        return Error(ErrorCode::Io, "cannot create the trace file");
    std::unique_ptr<TraceWriter> writer(new TraceWriter(file, chunk_events));

    uint8_t file_header[kFileHeaderSize] {};
    memcpy(file_header, kFileMagic, sizeof(kFileMagic));
    store_le32(file_header + 8, kFormatVersion);
    if (fwrite(file_header, 1, sizeof(file_header), file) != sizeof(file_header))
        writer->m_failed = true;

    flatbuffers::FlatBufferBuilder builder(1024);
    auto policy = builder.CreateString(header.policy);
    auto qemu_version = builder.CreateString(header.qemu_version);
    auto machine = builder.CreateString(header.machine);
    builder.Finish(
        fb::CreateHeader(builder, kFormatVersion, header.kernel_hash, header.workload_hash, header.image_hash,
            header.has_workload, policy, qemu_version, machine, header.ssd_base, header.ssd_size, chunk_events));
    writer->write_frame(static_cast<uint32_t>(FrameType::Header), builder.GetBufferPointer(), builder.GetSize());
    if (writer->m_failed)
        return Error(ErrorCode::Io, "cannot write the trace file");
    return writer;
}

TraceWriter::TraceWriter(FILE* file, uint32_t chunk_events)
    : m_file(file)
    , m_chunk_events(chunk_events)
{
    // One chunk's columns are allocated once and reused: no allocation on the hot path.
    m_kinds.reserve(chunk_events);
    m_boundary_deltas.reserve(chunk_events);
    m_addresses.reserve(chunk_events);
    m_sizes.reserve(chunk_events);
    m_values.reserve(static_cast<size_t>(chunk_events) * 8);
    m_zstd = ZSTD_createCCtx();
}

TraceWriter::~TraceWriter()
{
    if (m_file)
        fclose(m_file);
    ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(m_zstd));
}

void TraceWriter::write_frame(uint32_t type, const uint8_t* data, size_t size)
{
    auto* context = static_cast<ZSTD_CCtx*>(m_zstd);
    m_compressed.resize(ZSTD_compressBound(size));
    size_t stored = ZSTD_compressCCtx(context, m_compressed.data(), m_compressed.size(), data, size, kZstdLevel);
    if (ZSTD_isError(stored) || stored > kMaxFrameBytes || size > kMaxFrameBytes) {
        m_failed = true;
        return;
    }
    uint8_t frame_header[kFrameHeaderSize];
    store_le32(frame_header + 0, type);
    store_le32(frame_header + 4, static_cast<uint32_t>(stored));
    store_le32(frame_header + 8, static_cast<uint32_t>(size));
    store_le32(frame_header + 12, crc32c(0, m_compressed.data(), stored));
    if (fwrite(frame_header, 1, sizeof(frame_header), m_file) != sizeof(frame_header)
        || fwrite(m_compressed.data(), 1, stored, m_file) != stored)
        m_failed = true;
}

void TraceWriter::write_chunk()
{
    if (m_kinds.empty() || !m_file)
        return;
    flatbuffers::FlatBufferBuilder builder(m_kinds.size() * 24 + m_values.size() + 1024);
    auto kinds = builder.CreateVector(m_kinds);
    auto deltas = builder.CreateVector(m_boundary_deltas);
    auto addresses = builder.CreateVector(m_addresses);
    auto sizes = builder.CreateVector(m_sizes);
    auto values = builder.CreateVector(m_values);
    builder.Finish(fb::CreateChunk(
        builder, m_chunks, m_events_written, m_chunk_first_boundary, kinds, deltas, addresses, sizes, values));
    write_frame(static_cast<uint32_t>(FrameType::Chunk), builder.GetBufferPointer(), builder.GetSize());
    ++m_chunks;
    m_events_written += m_kinds.size();
    m_chunk_first_boundary = m_last_boundary;
    m_kinds.clear();
    m_boundary_deltas.clear();
    m_addresses.clear();
    m_sizes.clear();
    m_values.clear();
}

ErrorOr<void> TraceWriter::finish(Boundary end_boundary, uint8_t end_reason)
{
    if (!m_file)
        return Error(ErrorCode::InvalidArgument, "the trace is already finished");
    write_chunk();
    flatbuffers::FlatBufferBuilder builder(256);
    builder.Finish(fb::CreateFooter(
        builder, m_events_written, m_chunks, m_counts[0], m_counts[1], m_counts[2], end_boundary.value(), end_reason));
    write_frame(static_cast<uint32_t>(FrameType::Footer), builder.GetBufferPointer(), builder.GetSize());
    if (fclose(m_file) != 0)
        m_failed = true;
    m_file = nullptr;
    if (m_failed)
        return Error(ErrorCode::Io, "cannot write the trace file");
    return {};
}

} // namespace ferros::trace
