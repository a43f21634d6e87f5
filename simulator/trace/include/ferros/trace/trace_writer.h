#pragma once
// Writes a trace as the guest runs. Events are buffered by column; every chunk_events events
// become one compressed Chunk frame, so memory stays bounded however long the run.
// An I/O error is remembered and reported by finish(): the hot path never fails.

#include <compare> // strong.h uses <=> without including <compare>
#include <cstdint>
#include <cstdio>
#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>
#include <ferros/trace/trace_event.h>
#include <ferros/trace/trace_header.h>
#include <memory>
#include <string>
#include <vector>

namespace ferros::trace {

class TraceWriter {
public:
    // Creates the file at `path` and writes the file header and the Header frame.
    // `header.format_version` is set by the writer.
    static ErrorOr<std::unique_ptr<TraceWriter>> create(
        const std::string& path, TraceHeader header, uint32_t chunk_events = 1u << 20);
    ~TraceWriter();

    void add(EventKind kind, Boundary boundary, uint64_t address, unsigned size, const uint8_t* value)
    {
        m_kinds.push_back(static_cast<uint8_t>(kind));
        m_boundary_deltas.push_back(boundary.value() - m_last_boundary);
        m_last_boundary = boundary.value();
        m_addresses.push_back(address);
        m_sizes.push_back(static_cast<uint8_t>(size));
        m_values.insert(m_values.end(), value, value + size);
        ++m_counts[static_cast<uint8_t>(kind)];
        if (m_kinds.size() >= m_chunk_events)
            write_chunk();
    }

    // Writes the last chunk and the Footer frame, and closes the file.
    ErrorOr<void> finish(Boundary end_boundary, uint8_t end_reason);

private:
    TraceWriter(FILE* file, uint32_t chunk_events);
    void write_chunk();
    void write_frame(uint32_t type, const uint8_t* data, size_t size);

    FILE* m_file { nullptr };
    bool m_failed { false };
    uint32_t m_chunk_events { 0 };
    uint32_t m_chunks { 0 };
    uint64_t m_events_written { 0 };
    uint64_t m_chunk_first_boundary { 0 };
    uint64_t m_last_boundary { 0 };
    uint64_t m_counts[3] {};
    std::vector<uint8_t> m_kinds;
    std::vector<uint64_t> m_boundary_deltas;
    std::vector<uint64_t> m_addresses;
    std::vector<uint8_t> m_sizes;
    std::vector<uint8_t> m_values;
    std::vector<uint8_t> m_compressed;
    void* m_zstd { nullptr }; // ZSTD_CCtx, reused across chunks
};

} // namespace ferros::trace
