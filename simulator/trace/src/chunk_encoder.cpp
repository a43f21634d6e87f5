#include "chunk_encoder.h"
#include "trace_generated.h"
#include <ferros/base/bytes.h>
#include <ferros/trace/leb128.h>
#include <ferros/trace/trace_format.h>
#include <xxhash.h>
#include <zstd.h>

namespace ferros::trace {

ChunkEncoder::ChunkEncoder(FILE* file)
    : m_file(file)
    , m_zstd(ZSTD_createCCtx())
{
}

ChunkEncoder::~ChunkEncoder() { ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(m_zstd)); }

void ChunkEncoder::write_frame(uint32_t type, const uint8_t* data, size_t size)
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
    store_le32(frame_header + 12, frame_checksum(m_compressed.data(), stored));
    if (fwrite(frame_header, 1, sizeof(frame_header), m_file) != sizeof(frame_header)
        || fwrite(m_compressed.data(), 1, stored, m_file) != stored)
        m_failed = true;
}

void ChunkEncoder::write_chunk(const TraceEvent* events, uint32_t count)
{
    if (count == 0)
        return;
    m_kinds.clear();
    m_sizes.clear();
    m_boundary_deltas.clear();
    m_address_deltas.clear();
    m_values.clear();
    uint64_t first_boundary = m_last_boundary;
    uint64_t previous_address = 0;
    for (uint32_t i = 0; i < count; ++i) {
        const TraceEvent& event = events[i];
        m_kinds.push_back(static_cast<uint8_t>(event.kind));
        m_sizes.push_back(event.size);
        put_leb128(m_boundary_deltas, event.boundary.value() - m_last_boundary);
        m_last_boundary = event.boundary.value();
        put_leb128(m_address_deltas, zigzag(static_cast<int64_t>(event.address.value() - previous_address)));
        previous_address = event.address.value();
        m_values.insert(m_values.end(), event.value, event.value + event.size);
    }
    auto& builder = m_builder;
    builder.Clear();
    auto kinds = builder.CreateVector(m_kinds);
    auto sizes = builder.CreateVector(m_sizes);
    auto boundary_deltas = builder.CreateVector(m_boundary_deltas);
    auto address_deltas = builder.CreateVector(m_address_deltas);
    auto values = builder.CreateVector(m_values);
    builder.Finish(fb::CreateChunk(
        builder, m_chunks, m_events, first_boundary, count, kinds, sizes, boundary_deltas, address_deltas, values));
    write_frame(static_cast<uint32_t>(FrameType::Chunk), builder.GetBufferPointer(), builder.GetSize());
    ++m_chunks;
    m_events += count;
}

} // namespace ferros::trace
