#pragma once
// Helpers shared by the trace tests: a temporary path and a small synthetic trace.

#include <cstdint>
#include <ferros/trace/trace_writer.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace ferros::trace::test {

// CTest runs each test as its own process, two at a time: names carry the test's name so
// that no two processes share a file.
inline std::string temp_path(const std::string& name)
{
    auto const* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string prefix = test ? std::string(test->test_suite_name()) + "." + test->name() + "-" : "";
    return std::string(FERROS_TEST_TMP) + "/" + prefix + name;
}

inline TraceHeader sample_header()
{
    TraceHeader header;
    header.kernel_hash = 0x1111;
    header.workload_hash = 0x2222;
    header.has_workload = true;
    header.image_hash = 0x3333;
    header.policy = "cache:8:4";
    header.qemu_version = "QEMU emulator version 10.0.2";
    header.machine = "microvm 128M";
    header.ssd_base = 0x4000000;
    header.ssd_size = 0x10000;
    return header;
}

// Writes `events` events (stores, every 7th a flush, every 11th a marker) in chunks of
// `chunk_events`, ending at boundary 10 * events + 5.
inline void write_sample(const std::string& path, uint32_t events, uint32_t chunk_events)
{
    auto writer = TraceWriter::create(path, sample_header(), chunk_events).release_value();
    for (uint32_t i = 0; i < events; ++i) {
        uint8_t value[16];
        for (int b = 0; b < 16; ++b)
            value[b] = static_cast<uint8_t>(i * 31 + b);
        EventKind kind = i % 7 == 6 ? EventKind::Flush : i % 11 == 10 ? EventKind::Marker : EventKind::Store;
        unsigned size = kind == EventKind::Store ? 1u << (i % 5) : kind == EventKind::Marker ? 8 : 4;
        writer->add(kind, Boundary(10 * i + 3), 0x4000000 + (i * 40) % 0x8000, size, value);
    }
    if (writer->finish(Boundary(10ULL * events + 5), 1).is_error())
        abort();
}

} // namespace ferros::trace::test
