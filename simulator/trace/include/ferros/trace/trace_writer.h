#pragma once
// Writes a trace as the guest runs. The hot path (add) only copies an event into a buffer;
// every chunk_events events the full buffer goes to a worker thread that encodes it as a
// Chunk frame (columns, deltas, zstd) and appends it to the file, while the guest fills the
// next buffer. Memory stays bounded (three buffers) however long the run; chunks reach the
// file in order, so the bytes depend on the events alone (two runs, one file).
// An I/O error is remembered and reported by finish(): the hot path never fails.

#include <compare> // strong.h uses <=> without including <compare>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>
#include <ferros/trace/trace_event.h>
#include <ferros/trace/trace_header.h>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ferros::trace {

class ChunkEncoder;

class TraceWriter {
public:
    // Creates the file at `path` and writes the file header and the Header frame.
    // `header.format_version` and `header.chunk_events` are set by the writer.
    static ErrorOr<std::unique_ptr<TraceWriter>> create(
        const std::string& path, TraceHeader header, uint32_t chunk_events = kDefaultChunkEvents);
    // Without finish(), the file is left without its footer: readers see it as truncated.
    ~TraceWriter();

    static constexpr uint32_t kDefaultChunkEvents = 1u << 18;

    void add(EventKind kind, Boundary boundary, uint64_t address, unsigned size, const uint8_t* value)
    {
        TraceEvent& event = m_fill[m_filled++];
        event.kind = kind;
        event.size = static_cast<uint8_t>(size);
        event.boundary = boundary;
        event.address = PhysicalAddress(address);
        __builtin_memcpy(event.value, value, size);
        ++m_counts[static_cast<uint8_t>(kind)];
        if (m_filled == m_chunk_events)
            hand_off();
    }

    // Writes the last chunk and the Footer frame, and closes the file.
    ErrorOr<void> finish(Boundary end_boundary, uint8_t end_reason);

private:
    struct Job {
        TraceEvent* events;
        uint32_t count;
    };

    TraceWriter(FILE* file, uint32_t chunk_events);
    void hand_off();
    void work();
    void stop_worker();

    FILE* m_file { nullptr };
    uint32_t m_chunk_events { 0 };
    std::unique_ptr<ChunkEncoder> m_encoder; // used by the worker only, then by finish()
    std::vector<std::unique_ptr<TraceEvent[]>> m_buffers;
    TraceEvent* m_fill { nullptr };
    uint32_t m_filled { 0 };
    uint64_t m_counts[3] {};

    std::mutex m_mutex;
    std::condition_variable m_work_ready;
    std::condition_variable m_buffer_free;
    std::deque<Job> m_jobs;
    std::vector<TraceEvent*> m_free;
    bool m_stopping { false };
    std::thread m_worker;
};

} // namespace ferros::trace
