// Reconstruction from a synthetic trace: Durable(b) and Pending(b) at each boundary follow
// DESIGN.md section 4 (a store is visible from the boundary after its instruction; a FLUSH
// makes every earlier store durable), and bad inputs are refused.
#include <ferros/abi/machine.h>
#include <ferros/reconstruct/reconstructor.h>
#include <ferros/trace/file_hash.h>
#include <ferros/trace/trace_writer.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::reconstruct;
using ferros::trace::EventKind;

namespace {

constexpr uint64_t kBase = 0x4000000;
constexpr uint64_t kSize = 0x1000;

std::vector<uint8_t> initial_image() { return std::vector<uint8_t>(kSize, 0xa5); }

// Boundary 10: store 4 bytes at +0x10; 20: store 1 byte at +0x20; 30: FLUSH; 40: marker;
// 50: store 8 bytes at +0x10; run ends at 60.
std::string write_trace(const char* name, const char* policy = "cache:8:4")
{
    std::string path = std::string(FERROS_TEST_TMP) + "/" + name;
    trace::TraceHeader header;
    header.kernel_hash = 0xabc;
    auto image = initial_image();
    header.image_hash = trace::hash_bytes(ReadonlyBytes(image.data(), image.size()));
    header.policy = policy;
    header.ssd_base = kBase;
    header.ssd_size = kSize;
    auto writer = trace::TraceWriter::create(path, header, 2).release_value();
    uint8_t four[4] = { 1, 2, 3, 4 };
    uint8_t one[1] = { 9 };
    uint8_t doorbell[4] = { 1, 0, 0, 0 };
    uint8_t marker[8];
    store_le64(marker, ferros::abi::marker_word(ferros::abi::MarkerKind::OpDurable, 0));
    uint8_t eight[8] = { 8, 8, 8, 8, 8, 8, 8, 8 };
    writer->add(EventKind::Store, Boundary(10), kBase + 0x10, 4, four);
    writer->add(EventKind::Store, Boundary(20), kBase + 0x20, 1, one);
    writer->add(EventKind::Flush, Boundary(30), ferros::abi::kControlFlush, 4, doorbell);
    writer->add(EventKind::Marker, Boundary(40), ferros::abi::kMarkerPage, 8, marker);
    writer->add(EventKind::Store, Boundary(50), kBase + 0x10, 8, eight);
    EXPECT_FALSE(writer->finish(Boundary(60), 0).is_error());
    return path;
}

Reconstructor open(const std::string& path)
{
    auto reader = trace::TraceReader::open(path).release_value();
    auto r = Reconstructor::create(std::move(reader), initial_image());
    EXPECT_FALSE(r.is_error());
    return r.release_value();
}

} // namespace

TEST(Reconstructor, DurableAndPendingFollowTheFlush)
{
    auto r = open(write_trace("basic.trace"));
    EXPECT_EQ(r.end_boundary().value(), 60u);
    ASSERT_FALSE(r.advance_to(Boundary(9)).is_error());
    EXPECT_TRUE(r.pending().empty());
    ASSERT_EQ(r.next_event_boundary()->value(), 10u);
    ASSERT_FALSE(r.advance_to(Boundary(10)).is_error());
    ASSERT_EQ(r.pending().size(), 1u);
    EXPECT_EQ(r.pending()[0].offset.value(), 0x10u);
    EXPECT_EQ(r.durable()[0x10], 0xa5);
    ASSERT_FALSE(r.advance_to(Boundary(29)).is_error());
    EXPECT_EQ(r.pending().size(), 2u);
    ASSERT_FALSE(r.advance_to(Boundary(30)).is_error());
    EXPECT_TRUE(r.pending().empty());
    EXPECT_EQ(r.durable()[0x10], 1);
    EXPECT_EQ(r.durable()[0x20], 9);
    EXPECT_TRUE(r.markers().empty());
    ASSERT_FALSE(r.advance_to(Boundary(40)).is_error());
    ASSERT_EQ(r.markers().size(), 1u);
    EXPECT_EQ(r.markers()[0].word, ferros::abi::marker_word(ferros::abi::MarkerKind::OpDurable, 0));
    ASSERT_FALSE(r.advance_to(Boundary(60)).is_error());
    ASSERT_EQ(r.pending().size(), 1u);
    EXPECT_FALSE(r.next_event_boundary().has_value());
}

TEST(Reconstructor, StatesSpanNothingToEverything)
{
    auto r = open(write_trace("states.trace"));
    ASSERT_FALSE(r.advance_to(Boundary(25)).is_error());
    auto states = r.states(0).release_value();
    // cache:8: the two pending stores touch two 8-byte units: 4 subsets.
    ASSERT_EQ(states.count(), 4u);
    auto none = states.image(0).release_value();
    auto all = states.image(3).release_value();
    EXPECT_EQ(none, initial_image());
    EXPECT_EQ(all, r.window().volatile_image());
    EXPECT_TRUE(states.image(4).is_error());
}

TEST(Reconstructor, RefusesBadUse)
{
    auto path = write_trace("bad.trace");
    auto r = open(path);
    ASSERT_FALSE(r.advance_to(Boundary(30)).is_error());
    EXPECT_STREQ(r.advance_to(Boundary(29)).error().context(), "boundaries only advance");
    EXPECT_STREQ(r.advance_to(Boundary(61)).error().context(), "the boundary lies after the traced run's end");

    auto other_image = initial_image();
    other_image[0] ^= 1;
    auto mismatch = Reconstructor::create(trace::TraceReader::open(path).release_value(), other_image);
    ASSERT_TRUE(mismatch.is_error());
    EXPECT_EQ(mismatch.error().code(), ErrorCode::Mismatch);
    EXPECT_STREQ(mismatch.error().context(), "the trace starts from another SSD image");

    auto other_kernel = Reconstructor::create(
        trace::TraceReader::open(path).release_value(), initial_image(), { .kernel_hash = 0xdef });
    ASSERT_TRUE(other_kernel.is_error());
    EXPECT_STREQ(other_kernel.error().context(), "the trace is of another kernel build");

    auto bad_policy = Reconstructor::create(
        trace::TraceReader::open(write_trace("badpolicy.trace", "sometimes")).release_value(), initial_image());
    ASSERT_TRUE(bad_policy.is_error());
    EXPECT_EQ(bad_policy.error().code(), ErrorCode::BadFormat);
}
