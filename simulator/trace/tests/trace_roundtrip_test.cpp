// What the writer writes, the reader reads back: header, footer and every event, across
// chunk edges; and the same events make the same bytes (determinism).
#include "trace_test_support.h"
#include <ferros/trace/file_hash.h>
#include <ferros/trace/trace_reader.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::trace;
using namespace ferros::trace::test;

TEST(TraceRoundtrip, EventsHeaderAndFooterSurvive)
{
    auto path = temp_path("roundtrip.trace");
    write_sample(path, 1000, 64);
    auto reader = TraceReader::open(path);
    ASSERT_FALSE(reader.is_error()) << reader.error().context();
    auto& r = reader.value();
    EXPECT_EQ(r.header().kernel_hash, 0x1111u);
    EXPECT_EQ(r.header().policy, "cache:8:4");
    EXPECT_EQ(r.header().machine, "microvm 128M");
    EXPECT_EQ(r.header().ssd_size, 0x10000u);
    EXPECT_EQ(r.footer().events, 1000u);
    EXPECT_EQ(r.footer().chunks, 16u);
    EXPECT_EQ(r.footer().end_boundary, 10005u);
    EXPECT_EQ(r.footer().end_reason, 1);

    std::vector<TraceEvent> events;
    uint32_t i = 0;
    while (true) {
        auto more = r.next_chunk(events);
        ASSERT_FALSE(more.is_error()) << more.error().context();
        if (!more.value())
            break;
        for (const TraceEvent& event : events) {
            EventKind kind = i % 7 == 6 ? EventKind::Flush : i % 11 == 10 ? EventKind::Marker : EventKind::Store;
            unsigned size = kind == EventKind::Store ? 1u << (i % 5) : kind == EventKind::Marker ? 8 : 4;
            ASSERT_EQ(event.kind, kind) << i;
            ASSERT_EQ(event.size, size) << i;
            ASSERT_EQ(event.boundary.value(), 10ULL * i + 3) << i;
            ASSERT_EQ(event.address.value(), 0x4000000u + (i * 40) % 0x8000) << i;
            for (unsigned b = 0; b < size; ++b)
                ASSERT_EQ(event.value[b], static_cast<uint8_t>(i * 31 + b)) << i;
            ++i;
        }
    }
    EXPECT_EQ(i, 1000u);
}

TEST(TraceRoundtrip, SameEventsSameBytes)
{
    write_sample(temp_path("same_a.trace"), 5000, 1000);
    write_sample(temp_path("same_b.trace"), 5000, 1000);
    EXPECT_EQ(hash_file(temp_path("same_a.trace")).value(), hash_file(temp_path("same_b.trace")).value());
}

TEST(TraceRoundtrip, EmptyTraceHasNoChunks)
{
    auto path = temp_path("empty.trace");
    write_sample(path, 0, 64);
    auto reader = TraceReader::open(path).release_value();
    std::vector<TraceEvent> events;
    auto more = reader.next_chunk(events);
    ASSERT_FALSE(more.is_error());
    EXPECT_FALSE(more.value());
    EXPECT_EQ(reader.footer().chunks, 0u);
}

TEST(TraceRoundtrip, RewindReadsAgain)
{
    auto path = temp_path("rewind.trace");
    write_sample(path, 300, 100);
    auto reader = TraceReader::open(path).release_value();
    std::vector<TraceEvent> first, again;
    ASSERT_TRUE(reader.next_chunk(first).value());
    reader.rewind();
    ASSERT_TRUE(reader.next_chunk(again).value());
    ASSERT_EQ(first.size(), again.size());
    EXPECT_EQ(first.back().boundary, again.back().boundary);
}

TEST(TraceRoundtrip, ExpectationsName)
{
    auto path = temp_path("expect.trace");
    write_sample(path, 10, 64);
    auto reader = TraceReader::open(path).release_value();
    EXPECT_FALSE(reader.expect({ 0x1111, 0x2222, 0x3333 }).is_error());
    auto kernel = reader.expect({ .kernel_hash = 0x9999 });
    ASSERT_TRUE(kernel.is_error());
    EXPECT_EQ(kernel.error().code(), ErrorCode::Mismatch);
    EXPECT_STREQ(kernel.error().context(), "the trace is of another kernel build");
    EXPECT_STREQ(reader.expect({ .workload_hash = 1 }).error().context(), "the trace is of another workload");
    EXPECT_STREQ(reader.expect({ .image_hash = 1 }).error().context(), "the trace starts from another SSD image");
}
