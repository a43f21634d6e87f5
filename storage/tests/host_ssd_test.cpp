#include <ferros/storage/host_ssd.h>
#include <gtest/gtest.h>

using namespace ferros;
using storage::HostSsd;

namespace {

ErrorOr<void> write_byte(HostSsd& ssd, uint64_t offset, uint8_t value)
{
    return ssd.write(DeviceOffset(offset), ReadonlyBytes(&value, 1));
}

} // namespace

TEST(HostSsd, CutAfterTheNthWriteFailsEverythingAfter)
{
    HostSsd ssd(4096);
    ssd.cut_after_writes(2);
    ASSERT_FALSE(write_byte(ssd, 0, 1).is_error());
    ASSERT_FALSE(ssd.flush().is_error()) << "flushes do not count as writes";
    ASSERT_FALSE(write_byte(ssd, 8, 2).is_error());
    EXPECT_EQ(write_byte(ssd, 16, 3).error().code(), ErrorCode::PowerCut);
    EXPECT_TRUE(ssd.power_cut());
    uint8_t byte = 0;
    EXPECT_EQ(ssd.read(DeviceOffset(0), Bytes(&byte, 1)).error().code(), ErrorCode::PowerCut);
    EXPECT_EQ(ssd.flush().error().code(), ErrorCode::PowerCut);
    // The first write was flushed; the second is pending; the third never happened.
    EXPECT_EQ(ssd.model().durable()[0], 1);
    ASSERT_EQ(ssd.model().pending().size(), 1u);
    EXPECT_EQ(ssd.model().pending()[0].offset.value(), 8u);
    EXPECT_EQ(ssd.model().visible()[16], 0);
    auto states = ssd.states(crash::Policy::parse("cache:8:8").value(), 1).value();
    EXPECT_EQ(states.count(), 2u) << "the pending write survived or not";
}

TEST(HostSsd, CutAfterOperationsCountsFlushesAndObserverSeesEachCutPoint)
{
    HostSsd ssd(4096);
    std::vector<size_t> pending_seen;
    ssd.observe([&](const HostSsd& device) { pending_seen.push_back(device.model().pending().size()); });
    ssd.cut_after_operations(3);
    ASSERT_FALSE(write_byte(ssd, 0, 1).is_error());
    ASSERT_FALSE(write_byte(ssd, 8, 2).is_error());
    ASSERT_FALSE(ssd.flush().is_error());
    EXPECT_EQ(write_byte(ssd, 16, 3).error().code(), ErrorCode::PowerCut);
    EXPECT_EQ(pending_seen, (std::vector<size_t> { 0, 1, 2 })) << "before each operation that ran";
    EXPECT_EQ(ssd.operations(), 3u);
}

TEST(HostSsd, WithoutTrackingEveryWriteIsDurable)
{
    HostSsd ssd(4096, HostSsd::Tracking::Off);
    ASSERT_FALSE(write_byte(ssd, 5, 9).is_error());
    EXPECT_EQ(ssd.model().durable()[5], 9);
    EXPECT_TRUE(ssd.model().pending().empty());
    EXPECT_EQ(write_byte(ssd, 4096, 1).error().code(), ErrorCode::OutOfRange);
}
