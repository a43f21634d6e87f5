#include <ferros/ring/anchor.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::ring;

namespace {

Anchor sample(const Geometry& geometry)
{
    Anchor anchor;
    anchor.generation = 12;
    anchor.epoch = 4;
    anchor.device_size = geometry.device_size();
    anchor.tail = RingPosition(1000);
    anchor.log_start = RingPosition(9000);
    anchor.log_sequence = SequenceNumber(77);
    anchor.root = RingPosition(8000);
    anchor.root_length = 300;
    anchor.root_level = 1;
    anchor.live_charge = 5555;
    anchor.tree_bytes = 700;
    return anchor;
}

} // namespace

TEST(Anchor, RoundTripsAndChecksItself)
{
    auto geometry = Geometry::create(64 * 1024).value();
    uint8_t bytes[kAnchorSize];
    encode_anchor(sample(geometry), bytes);
    auto anchor = decode_anchor(bytes, geometry, VerifyChecksum::Yes).value();
    EXPECT_EQ(anchor.generation, 12u);
    EXPECT_EQ(anchor.root, RingPosition(8000));
    EXPECT_EQ(anchor.log_sequence, SequenceNumber(77));
    EXPECT_EQ(anchor.tree_bytes, 700u);

    bytes[40] ^= 0x10;
    EXPECT_EQ(decode_anchor(bytes, geometry, VerifyChecksum::Yes).error().code(), ErrorCode::Corrupt);
    EXPECT_FALSE(decode_anchor(bytes, geometry, VerifyChecksum::No).is_error())
        << "without CRC checks (the seeded bug) the damage goes unnoticed";
}

TEST(Anchor, RefusesInconsistentFields)
{
    auto geometry = Geometry::create(64 * 1024).value();
    uint8_t bytes[kAnchorSize] = {};
    EXPECT_EQ(decode_anchor(bytes, geometry, VerifyChecksum::Yes).error().code(), ErrorCode::NoAnchor);

    auto anchor = sample(geometry);
    anchor.root = RingPosition(9000); // the root must lie before log_start
    encode_anchor(anchor, bytes);
    EXPECT_EQ(decode_anchor(bytes, geometry, VerifyChecksum::Yes).error().code(), ErrorCode::Corrupt);

    anchor = sample(geometry);
    anchor.log_start = RingPosition(1000 + geometry.ring_length() + 1);
    encode_anchor(anchor, bytes);
    EXPECT_EQ(decode_anchor(bytes, geometry, VerifyChecksum::Yes).error().code(), ErrorCode::Corrupt);

    anchor = sample(geometry);
    anchor.device_size *= 2;
    encode_anchor(anchor, bytes);
    EXPECT_EQ(decode_anchor(bytes, geometry, VerifyChecksum::Yes).error().code(), ErrorCode::Corrupt);
}

TEST(Geometry, MapsLogicalPositionsOntoTheRing)
{
    EXPECT_TRUE(Geometry::create(1000).is_error());
    EXPECT_TRUE(Geometry::create(64 * 1024 + 1).is_error());
    auto geometry = Geometry::create(64 * 1024).value();
    uint64_t const length = geometry.ring_length();
    EXPECT_EQ(geometry.offset_of(RingPosition(0)), DeviceOffset(kRingStart));
    EXPECT_EQ(geometry.offset_of(RingPosition(length + 16)), DeviceOffset(kRingStart + 16));
    EXPECT_EQ(geometry.room_before_end(RingPosition(length - 32)), 32u);
}
