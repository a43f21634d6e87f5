#include <ferros/crash/content_hash.h>
#include <ferros/crash/device_model.h>
#include <gtest/gtest.h>

using namespace ferros::crash;

TEST(DeviceModel, FlushMakesPendingWritesDurable)
{
    DeviceModel model(std::vector<uint8_t>(32, 0));
    uint8_t const bytes[] = { 1, 2, 3 };
    ASSERT_FALSE(model.write(8, bytes).is_error());
    EXPECT_EQ(model.visible()[9], 2);
    EXPECT_EQ(model.durable()[9], 0);
    ASSERT_EQ(model.pending().size(), 1u);
    model.flush();
    EXPECT_TRUE(model.pending().empty());
    EXPECT_EQ(model.durable()[9], 2);
    EXPECT_TRUE(model.write(31, bytes).is_error()) << "a write past the end is refused";
}

TEST(DeviceModel, WriteThroughIsDurableAtOnceAndRefusesToOvertake)
{
    DeviceModel model(std::vector<uint8_t>(32, 0));
    uint8_t const bytes[] = { 7, 8 };
    ASSERT_FALSE(model.write_through(4, bytes).is_error());
    EXPECT_EQ(model.durable()[5], 8);
    EXPECT_EQ(model.visible()[5], 8);
    EXPECT_TRUE(model.pending().empty());
    ASSERT_FALSE(model.write(0, bytes).is_error());
    EXPECT_EQ(model.write_through(4, bytes).error().code(), ferros::ErrorCode::InvalidArgument);
}

TEST(ContentHash, DependsOnContentAndPlace)
{
    std::vector<uint8_t> a(64, 0), b(64, 0), c(72, 0);
    b[9] = 1;
    EXPECT_NE(image_hash(a), image_hash(b));
    EXPECT_NE(image_hash(a), image_hash(c)) << "size is part of the content";
    b[9] = 0;
    EXPECT_EQ(image_hash(a), image_hash(b));
}
