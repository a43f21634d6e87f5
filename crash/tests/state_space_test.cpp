#include <ferros/crash/content_hash.h>
#include <ferros/crash/device_model.h>
#include <gtest/gtest.h>
#include <set>

using namespace ferros::crash;

namespace {

std::vector<uint8_t> pattern(size_t size, uint8_t seed)
{
    std::vector<uint8_t> bytes(size);
    for (size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<uint8_t>(seed + i * 7);
    return bytes;
}

// Applies, hashes and restores every state; returns the distinct images.
std::set<std::vector<uint8_t>> walk(const StateSpace& space, const DeviceModel& model)
{
    std::set<std::vector<uint8_t>> images;
    std::vector<uint8_t> image(model.durable().begin(), model.durable().end());
    for (uint64_t i = 0; i < space.count(); ++i) {
        space.apply(i, image);
        EXPECT_EQ(space.hash(i), image_hash(image)) << "state " << i;
        images.insert(image);
        space.restore(i, image);
        EXPECT_TRUE(std::equal(image.begin(), image.end(), model.durable().begin())) << "restore " << i;
    }
    return images;
}

Policy parse(const char* text) { return Policy::parse(text).value(); }

} // namespace

TEST(StateSpace, CacheEnumeratesEverySubsetOfUnits)
{
    DeviceModel model(std::vector<uint8_t>(4096, 0));
    // Three units at UNIT 512: two writes share unit 0, one straddles units 1 and 2.
    ASSERT_FALSE(model.write(10, pattern(20, 1)).is_error());
    ASSERT_FALSE(model.write(20, pattern(4, 9)).is_error());
    ASSERT_FALSE(model.write(1000, pattern(100, 3)).is_error());
    auto space = model.states(parse("cache:512:8"), 1).value();
    EXPECT_TRUE(space.exhaustive());
    EXPECT_EQ(space.piece_count(), 3u);
    ASSERT_EQ(space.count(), 8u);

    std::vector<uint8_t> image(model.durable().begin(), model.durable().end());
    space.apply(0, image);
    EXPECT_TRUE(std::equal(image.begin(), image.end(), model.durable().begin())) << "state 0 = nothing survived";
    space.apply(space.count() - 1, image);
    EXPECT_TRUE(std::equal(image.begin(), image.end(), model.visible().begin())) << "last state = all survived";
    // Unit 0 holds the final content of both of its writes (the later one wins).
    space.restore(space.count() - 1, image);
    space.apply(1, image);
    EXPECT_EQ(image[20], 9);
    EXPECT_EQ(image[1000], 0) << "unit 1 did not survive in state 1";

    EXPECT_EQ(walk(space, model).size(), 8u);
}

TEST(StateSpace, TornTakesWordPrefixesOfAUnit)
{
    DeviceModel model(std::vector<uint8_t>(256, 0xaa));
    ASSERT_FALSE(model.write(64, pattern(64, 5)).is_error());
    auto space = model.states(parse("torn:64:8"), 1).value();
    ASSERT_EQ(space.count(), 9u); // 8 words: old, 1..7 words new, new
    std::vector<uint8_t> image(model.durable().begin(), model.durable().end());
    space.apply(3, image);
    EXPECT_EQ(image[64 + 23], model.visible()[64 + 23]);
    EXPECT_EQ(image[64 + 24], 0xaa);
    EXPECT_EQ(walk(space, model).size(), 9u);
}

TEST(StateSpace, PrefixAndStrictFollowProgramOrder)
{
    DeviceModel model(std::vector<uint8_t>(128, 0));
    ASSERT_FALSE(model.write(0, pattern(16, 1)).is_error());
    ASSERT_FALSE(model.write(4, pattern(4, 50)).is_error()); // overlaps the first
    ASSERT_FALSE(model.write(100, pattern(3, 9)).is_error()); // unaligned tail
    auto prefix = model.states(parse("prefix"), 0).value();
    ASSERT_EQ(prefix.count(), 4u);
    EXPECT_EQ(walk(prefix, model).size(), 4u);
    std::vector<uint8_t> image(model.durable().begin(), model.durable().end());
    prefix.apply(3, image);
    EXPECT_TRUE(std::equal(image.begin(), image.end(), model.visible().begin()));

    auto strict = model.states(parse("strict"), 0).value();
    ASSERT_EQ(strict.count(), 1u);
    EXPECT_EQ(strict.hash(0), image_hash(model.visible()));
}

TEST(StateSpace, SamplesBeyondKDeterministically)
{
    DeviceModel model(std::vector<uint8_t>(8192, 0));
    ASSERT_FALSE(model.write(0, pattern(4096, 2)).is_error()); // 512 units of 8 bytes
    auto a = model.states(parse("cache:8:6"), 42).value();
    auto b = model.states(parse("cache:8:6"), 42).value();
    auto c = model.states(parse("cache:8:6"), 43).value();
    EXPECT_FALSE(a.exhaustive());
    ASSERT_EQ(a.count(), 64u);
    bool differs = false;
    for (uint64_t i = 0; i < a.count(); ++i) {
        EXPECT_EQ(a.hash(i), b.hash(i));
        differs |= a.hash(i) != c.hash(i);
    }
    EXPECT_TRUE(differs) << "the seed must choose the sample";
    EXPECT_EQ(a.hash(0), image_hash(model.durable()));
    EXPECT_EQ(a.hash(a.count() - 1), image_hash(model.visible()));
    EXPECT_EQ(walk(a, model).size(), 64u);
}

TEST(StateSpace, RefusesWritesOutsideTheImage)
{
    std::vector<uint8_t> durable(64);
    std::vector<PendingWrite> pending { { ferros::DeviceOffset(60), { 1, 2, 3, 4, 5 } } };
    auto space = StateSpace::create(parse("cache:8"), durable, pending, 0);
    ASSERT_TRUE(space.is_error());
    EXPECT_EQ(space.error().code(), ferros::ErrorCode::OutOfRange);
}

TEST(StateSpace, EmptyPendingWritesApplyAndRestoreNothing)
{
    // Found by fuzz_policy: with only empty writes there are no new bytes at all, and
    // apply/restore once handed memcpy a null pointer (undefined even for length 0).
    std::vector<uint8_t> durable(16, 7);
    std::vector<PendingWrite> pending { PendingWrite { ferros::DeviceOffset(0), {} },
        PendingWrite { ferros::DeviceOffset(8), {} } };
    for (auto const* text : { "prefix", "strict", "cache:8:4", "torn:8" }) {
        auto space = StateSpace::create(parse(text), durable, pending, 0);
        ASSERT_FALSE(space.is_error()) << text;
        for (uint64_t i = 0; i < space.value().count(); ++i) {
            auto image = durable;
            space.value().apply(i, image);
            EXPECT_EQ(image, durable) << text << " state " << i;
            space.value().restore(i, image);
            EXPECT_EQ(image, durable) << text << " state " << i;
            EXPECT_EQ(space.value().hash(i), image_hash(durable)) << text << " state " << i;
        }
    }
}

TEST(StateSpace, UnitDeltaCacheGivesTheSameHashes)
{
    // Cuts between two FLUSHes: each adds a write; with a cache the units met before are not
    // hashed again, and every state's hash must still be image_hash of its image.
    for (auto const* text : { "cache:64:8", "torn:64:4" }) {
        DeviceModel model(pattern(2048, 3));
        UnitDeltaCache cache;
        for (uint64_t step = 0; step < 12; ++step) {
            ASSERT_FALSE(model.write(100 * step + 5, pattern(20, static_cast<uint8_t>(step))).is_error());
            auto const durable = model.durable();
            auto cached = StateSpace::create(parse(text), durable, image_hash(durable), model.pending(), 9, &cache);
            ASSERT_FALSE(cached.is_error());
            walk(cached.value(), model);
            auto plain = StateSpace::create(parse(text), durable, model.pending(), 9).release_value();
            ASSERT_EQ(cached.value().count(), plain.count());
            for (uint64_t i = 0; i < plain.count(); ++i)
                EXPECT_EQ(cached.value().hash(i), plain.hash(i)) << text << " step " << step << " state " << i;
        }
    }
}
