#include "chunk_encoder.h"
#include "trace_generated.h"
#include <cstring>
#include <ferros/base/bytes.h>
#include <ferros/trace/trace_format.h>
#include <ferros/trace/trace_writer.h>

namespace ferros::trace {

// One buffer being filled, one being encoded, one spare so that a slow chunk does not stall
// the guest at once.
static constexpr size_t kBuffers = 3;

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
    bool wrote = fwrite(file_header, 1, sizeof(file_header), file) == sizeof(file_header);

    flatbuffers::FlatBufferBuilder builder(1024);
    auto policy = builder.CreateString(header.policy);
    auto qemu_version = builder.CreateString(header.qemu_version);
    auto machine = builder.CreateString(header.machine);
    builder.Finish(
        fb::CreateHeader(builder, kFormatVersion, header.kernel_hash, header.workload_hash, header.image_hash,
            header.has_workload, policy, qemu_version, machine, header.ssd_base, header.ssd_size, chunk_events));
    writer->m_encoder->write_frame(
        static_cast<uint32_t>(FrameType::Header), builder.GetBufferPointer(), builder.GetSize());
    if (!wrote || writer->m_encoder->failed())
        return Error(ErrorCode::Io, "cannot write the trace file");
    writer->m_worker = std::thread([w = writer.get()] { w->work(); });
    return writer;
}

TraceWriter::TraceWriter(FILE* file, uint32_t chunk_events)
    : m_file(file)
    , m_chunk_events(chunk_events)
    , m_encoder(std::make_unique<ChunkEncoder>(file))
{
    for (size_t i = 0; i < kBuffers; ++i) {
        m_buffers.push_back(std::make_unique<TraceEvent[]>(chunk_events));
        m_free.push_back(m_buffers.back().get());
    }
    m_fill = m_free.back();
    m_free.pop_back();
}

TraceWriter::~TraceWriter()
{
    stop_worker();
    if (m_file)
        fclose(m_file);
}

void TraceWriter::hand_off()
{
    std::unique_lock lock(m_mutex);
    m_jobs.push_back(Job { m_fill, m_filled });
    m_work_ready.notify_one();
    m_buffer_free.wait(lock, [this] { return !m_free.empty(); });
    m_fill = m_free.back();
    m_free.pop_back();
    m_filled = 0;
}

void TraceWriter::work()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_work_ready.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
        if (m_jobs.empty())
            return;
        Job job = m_jobs.front();
        lock.unlock();
        m_encoder->write_chunk(job.events, job.count);
        lock.lock();
        m_jobs.pop_front();
        m_free.push_back(job.events);
        m_buffer_free.notify_one();
    }
}

void TraceWriter::stop_worker()
{
    if (!m_worker.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_work_ready.notify_one();
    }
    // The worker drains every queued chunk before it returns.
    m_worker.join();
}

ErrorOr<void> TraceWriter::finish(Boundary end_boundary, uint8_t end_reason)
{
    if (!m_file)
        return Error(ErrorCode::InvalidArgument, "the trace is already finished");
    stop_worker();
    m_encoder->write_chunk(m_fill, m_filled);
    m_filled = 0;
    flatbuffers::FlatBufferBuilder builder(256);
    builder.Finish(fb::CreateFooter(builder, m_encoder->events(), m_encoder->chunks(), m_counts[0], m_counts[1],
        m_counts[2], end_boundary.value(), end_reason));
    m_encoder->write_frame(static_cast<uint32_t>(FrameType::Footer), builder.GetBufferPointer(), builder.GetSize());
    bool failed = m_encoder->failed();
    failed |= fclose(m_file) != 0;
    m_file = nullptr;
    if (failed)
        return Error(ErrorCode::Io, "cannot write the trace file");
    return {};
}

} // namespace ferros::trace
