// Writes valid traces into the directory argv[1] with the library's own TraceWriter, so that
// the trace fuzzer starts from the real framing, compression and tables (its checksum fix-up
// then keeps mutated frames readable).
#include <cstdio>
#include <ferros/trace/trace_writer.h>
#include <string>

using namespace ferros;
using namespace ferros::trace;

namespace {

// `events` events of every kind in chunks of `chunk_events`, like a short traced run.
bool write_trace(const std::string& path, uint32_t events, uint32_t chunk_events)
{
    TraceHeader header;
    header.kernel_hash = 0x1111;
    header.workload_hash = 0x2222;
    header.has_workload = true;
    header.image_hash = 0x3333;
    header.policy = "cache:512:4";
    header.qemu_version = "QEMU emulator version 10.0.2";
    header.machine = "microvm 128M";
    header.ssd_base = 0x4000000;
    header.ssd_size = 0x10000;
    auto writer = TraceWriter::create(path, header, chunk_events);
    if (writer.is_error())
        return false;
    for (uint32_t i = 0; i < events; ++i) {
        uint8_t value[16];
        for (int b = 0; b < 16; ++b)
            value[b] = static_cast<uint8_t>(i * 31 + b);
        EventKind kind = i % 7 == 6 ? EventKind::Flush : i % 5 == 4 ? EventKind::Marker : EventKind::Store;
        unsigned size = kind == EventKind::Store ? 1u << (i % 5) : kind == EventKind::Marker ? 8 : 4;
        // Addresses go up and down, so both signs of the zigzag deltas appear.
        writer.value()->add(kind, Boundary(3 * i + 1), 0x4000000 + (i * 40) % 0x300, size, value);
    }
    return !writer.value()->finish(Boundary(3ULL * events + 5), 1).is_error();
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    std::string dir = argv[1];
    if (!write_trace(dir + "/empty.trace", 0, 4) || !write_trace(dir + "/one_chunk.trace", 3, 4)
        || !write_trace(dir + "/three_chunks.trace", 10, 4) || !write_trace(dir + "/mixed.trace", 40, 16)) {
        fprintf(stderr, "%s: cannot write the seed traces\n", dir.c_str());
        return 1;
    }
    return 0;
}
