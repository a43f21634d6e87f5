#pragma once
// Turns trace events into frames (docs/trace-format.md): columns, LEB128 deltas, FlatBuffers,
// zstd, checksum. One encoder writes one file, in order; it keeps the running state that
// chunks chain on (index, first event, last boundary).

#include <cstdint>
#include <cstdio>
#include <ferros/trace/trace_event.h>
#include <flatbuffers/flatbuffers.h>
#include <vector>

namespace ferros::trace {

class ChunkEncoder {
public:
    explicit ChunkEncoder(FILE* file);
    ~ChunkEncoder();

    void write_frame(uint32_t type, const uint8_t* data, size_t size);
    void write_chunk(const TraceEvent* events, uint32_t count);

    uint32_t chunks() const { return m_chunks; }
    uint64_t events() const { return m_events; }
    bool failed() const { return m_failed; }

private:
    FILE* m_file;
    bool m_failed { false };
    uint32_t m_chunks { 0 };
    uint64_t m_events { 0 };
    uint64_t m_last_boundary { 0 };
    void* m_zstd { nullptr }; // ZSTD_CCtx, reused across frames
    // Reused across chunks: a fresh builder's buffer is fresh memory, paid for in page faults.
    flatbuffers::FlatBufferBuilder m_builder { 1 << 20 };
    std::vector<uint8_t> m_kinds, m_sizes, m_boundary_deltas, m_address_deltas, m_values, m_compressed;
};

} // namespace ferros::trace
