// Fuzzes the trace reader (simulator/trace, docs/trace-format.md): TraceReader::open on the
// input as a file, then every chunk. Whatever the bytes, the reader must answer with an error
// value; a trace it reads whole must keep the promises its header and footer make.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <ferros/base/bytes.h>
#include <ferros/base/verify.h>
#include <ferros/trace/trace_format.h>
#include <ferros/trace/trace_reader.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ferros;
using namespace ferros::trace;

namespace {

// The reader takes a path: one file per process, so that parallel fuzzers (-jobs) and CTest's
// parallel tests never share it.
std::string g_path;
int g_file = -1;

// Far beyond any frame of an input of -max_len bytes (a chunk of 4096 events decodes to about
// 100 KiB), far below the reader's own bound of 1 GiB.
constexpr uint32_t kMaxFuzzFrame = 1u << 20;

void remove_file() { unlink(g_path.c_str()); }

void read_all(const uint8_t* data, size_t size)
{
    // Rewritten in place, never truncated to zero and closed: ext4 flushes a file replaced that
    // way to disk at close (auto_da_alloc), which made disk I/O most of a run's time.
    VERIFY(pwrite(g_file, data, size, 0) == static_cast<ssize_t>(size));
    VERIFY(ftruncate(g_file, static_cast<off_t>(size)) == 0);

    auto opened = TraceReader::open(g_path);
    if (opened.is_error())
        return;
    auto& reader = opened.value();
    std::vector<TraceEvent> events;
    uint64_t total = 0;
    uint64_t last_boundary = 0;
    while (true) {
        auto more = reader.next_chunk(events);
        if (more.is_error())
            break;
        if (!more.value()) {
            // The end: the reader has checked that the chunks hold what the footer counts.
            VERIFY(total == reader.footer().events);
            break;
        }
        VERIFY(!events.empty() && events.size() <= reader.header().chunk_events);
        for (auto const& event : events) {
            VERIFY(event.kind <= EventKind::Marker && event.size >= 1 && event.size <= sizeof(event.value));
            VERIFY(event.boundary.value() >= last_boundary && event.boundary.value() <= reader.footer().end_boundary);
            last_boundary = event.boundary.value();
        }
        total += events.size();
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    g_path = "/tmp/fuzz_trace." + std::to_string(getpid()) + ".trace";
    g_file = open(g_path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    VERIFY(g_file >= 0);
    atexit(remove_file);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // Every frame carries a checksum of its stored bytes, which a mutation almost always breaks:
    // the input is read again with each complete frame's checksum made to match, to reach zstd,
    // the FlatBuffers verifier and the column decoder.
    std::vector<uint8_t> fixed(data, data + size);
    for (size_t offset = kFileHeaderSize; offset + kFrameHeaderSize <= size;) {
        uint8_t* frame = fixed.data() + offset;
        uint32_t const stored = load_le32(frame + 4);
        uint32_t const raw = load_le32(frame + 8);
        // The reader allocates a frame's sizes (up to 1 GiB each) before it knows the file
        // holds them (docs/fuzzing.md, findings); the fuzzer finds such sizes at once and then
        // spends its time zeroing memory. Frames of a few KiB exercise the same code.
        if (stored > kMaxFuzzFrame || raw > kMaxFuzzFrame)
            return -1; // libFuzzer: keep this input out of the corpus
        if (stored > size - offset - kFrameHeaderSize)
            break;
        store_le32(frame + 12, frame_checksum(frame + kFrameHeaderSize, stored));
        offset += kFrameHeaderSize + stored;
    }
    read_all(data, size);
    if (!std::equal(fixed.begin(), fixed.end(), data))
        read_all(fixed.data(), fixed.size());
    return 0;
}
