// Index node entries: the builder encodes a leaf's value reference and an internal node's
// child reference, and the reader gives them back in the named fields, per level.
#include <ferros/storage/node.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ferros;
using namespace ferros::storage;

namespace {

ReadonlyBytes bytes_of(const std::string& s)
{
    return ReadonlyBytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

} // namespace

TEST(Node, LeafEntriesCarryValueReferences)
{
    std::vector<uint8_t> buffer(kMaxNodeRecord);
    NodeBuilder builder;
    builder.init(buffer.data());
    builder.reset(0);
    builder.add(NodeEntry::leaf(bytes_of("a"), ValueRef { ring::RingPosition(4096), 70, 12 }));
    builder.add(NodeEntry::leaf(bytes_of("b"), ValueRef { ring::RingPosition(8192), 90, 0 }));
    EXPECT_EQ(builder.first().value, (ValueRef { ring::RingPosition(4096), 70, 12 }));
    uint8_t const* record = builder.finish();
    ASSERT_FALSE(validate_node(record, builder.length(), 0).is_error());

    NodeReader reader(record, builder.length());
    EXPECT_EQ(reader.level(), 0u);
    EXPECT_EQ(reader.count(), 2u);
    NodeEntry entry;
    ASSERT_TRUE(reader.next(entry));
    EXPECT_EQ(entry.value, (ValueRef { ring::RingPosition(4096), 70, 12 }));
    ASSERT_TRUE(reader.next(entry));
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(entry.key.data()), entry.key.size()), "b");
    EXPECT_EQ(entry.value, (ValueRef { ring::RingPosition(8192), 90, 0 }));
    EXPECT_FALSE(reader.next(entry));
}

TEST(Node, InternalEntriesCarryChildReferences)
{
    std::vector<uint8_t> buffer(kMaxNodeRecord);
    NodeBuilder builder;
    builder.init(buffer.data());
    builder.reset(2);
    builder.add(NodeEntry::internal(bytes_of("k1"), ChildRef { ring::RingPosition(123456), 400 }));
    // The builder's first entry is read before finish() wrote the level into the payload.
    EXPECT_EQ(builder.first().child.position, ring::RingPosition(123456));
    EXPECT_EQ(builder.first().child.length, 400u);
    uint8_t const* record = builder.finish();
    ASSERT_FALSE(validate_node(record, builder.length(), 2).is_error());
    EXPECT_TRUE(validate_node(record, builder.length(), 1).is_error()) << "a node of another level";

    NodeReader reader(record, builder.length());
    NodeEntry entry;
    ASSERT_TRUE(reader.next(entry));
    EXPECT_EQ(entry.child.position, ring::RingPosition(123456));
    EXPECT_EQ(entry.child.length, 400u);
    // The encoding keeps the format's third field zero for internal entries.
    EXPECT_EQ(load_le32(record + builder.length() - 4), 0u);
}
