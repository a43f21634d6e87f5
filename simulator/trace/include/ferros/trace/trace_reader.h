#pragma once
// Reads a trace written by TraceWriter, one chunk at a time, so that traces of billions of
// events stream through bounded memory. open() checks the whole file's framing first (magic,
// version, every frame header, the footer's presence) without decompressing chunks, so that a
// truncated or corrupted trace is refused before any work depends on it. Each chunk is then
// checked (CRC32C, zstd, FlatBuffers verifier, counts) as it is read.
//
// Errors (ferros/base/errors.def), context saying what exactly:
//   NotFound     the file cannot be opened
//   BadFormat    not a trace (magic), or a frame or table is malformed
//   Unsupported  another format version
//   Truncated    the file ends inside a frame or before the footer
//   Corrupt      a checksum, size, order or count does not match
//   Mismatch     expect() found the trace belongs to another kernel, workload or image

#include <cstdint>
#include <cstdio>
#include <ferros/base/error_or.h>
#include <ferros/trace/trace_event.h>
#include <ferros/trace/trace_header.h>
#include <optional>
#include <string>
#include <vector>

namespace ferros::trace {

// What a caller knows about the run it wants a trace of; unset fields are not checked.
struct TraceExpectations {
    std::optional<uint64_t> kernel_hash;
    std::optional<uint64_t> workload_hash;
    std::optional<uint64_t> image_hash;
};

class TraceReader {
public:
    static ErrorOr<TraceReader> open(const std::string& path);
    TraceReader(TraceReader&& other);
    TraceReader& operator=(TraceReader&&) = delete;
    ~TraceReader();

    const TraceHeader& header() const { return m_header; }
    const TraceFooter& footer() const { return m_footer; }
    // Mismatch (context: "kernel", "workload" or "image" differs) when the trace is not of
    // the expected inputs.
    ErrorOr<void> expect(const TraceExpectations& expectations) const;

    // Replaces `events` with the next chunk's events; false after the last chunk.
    ErrorOr<bool> next_chunk(std::vector<TraceEvent>& events);
    // Starts again from the first chunk.
    void rewind();

private:
    explicit TraceReader(FILE* file)
        : m_file(file)
    {
    }
    ErrorOr<void> read_frame(uint32_t expected_type, std::vector<uint8_t>& raw);

    FILE* m_file { nullptr };
    TraceHeader m_header;
    TraceFooter m_footer;
    long m_first_chunk_offset { 0 };
    long m_footer_offset { 0 };
    uint32_t m_next_chunk { 0 };
    uint64_t m_next_event { 0 };
    uint64_t m_last_boundary { 0 };
    std::vector<uint8_t> m_stored;
    std::vector<uint8_t> m_raw;
    void* m_zstd { nullptr }; // ZSTD_DCtx, reused across chunks
};

} // namespace ferros::trace
