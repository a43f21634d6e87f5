#include <ferros/base/rng.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

using namespace ferros;
using namespace ferros::storage;

namespace {

ReadonlyBytes bytes_of(const std::string& s)
{
    return ReadonlyBytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

struct Fixture {
    explicit Fixture(uint64_t size)
        : ssd(size)
        , memory(Store::kMemorySize / 8 + 1)
    {
    }
    Bytes mem() { return Bytes(reinterpret_cast<uint8_t*>(memory.data()), Store::kMemorySize); }
    HostSsd ssd;
    std::vector<uint64_t> memory;
};

std::map<std::string, std::string> contents(Store& store)
{
    std::map<std::string, std::string> out;
    KeyBuffer key;
    size_t length = 0;
    std::vector<uint8_t> value(kMaxValueLength);
    bool more = store.next_key(ReadonlyBytes(), true, key, length).value();
    while (more) {
        std::string k(reinterpret_cast<const char*>(key.bytes), key.length);
        auto got = store.get(key.view(), Bytes(value.data(), value.size()));
        EXPECT_FALSE(got.is_error()) << k;
        EXPECT_EQ(got.value(), length);
        out[k] = std::string(reinterpret_cast<const char*>(value.data()), got.value());
        KeyBuffer previous = key;
        more = store.next_key(previous.view(), false, key, length).value();
    }
    return out;
}

ErrorOr<void> put_one(Store& store, const std::string& key, const std::string& value)
{
    TRY(store.begin());
    TRY(store.put(bytes_of(key), bytes_of(value)));
    return store.commit();
}

} // namespace

TEST(Store, PutGetDeleteAndRemount)
{
    Fixture f(64 * 1024);
    ASSERT_FALSE(Store::format(f.ssd).is_error());
    {
        Store store(f.ssd, f.mem());
        ASSERT_FALSE(store.mount().is_error());
        ASSERT_FALSE(put_one(store, "alpha", "one").is_error());
        ASSERT_FALSE(store.begin().is_error());
        ASSERT_FALSE(store.put(bytes_of("beta"), bytes_of("two")).is_error());
        ASSERT_FALSE(store.put(bytes_of("gamma"), bytes_of("three")).is_error());
        ASSERT_FALSE(store.remove(bytes_of("alpha")).is_error());
        ASSERT_FALSE(store.commit().is_error());
        ASSERT_FALSE(store.sync().is_error());
        EXPECT_EQ(contents(store), (std::map<std::string, std::string> { { "beta", "two" }, { "gamma", "three" } }));
    }
    Store again(f.ssd, f.mem());
    ASSERT_FALSE(again.mount().is_error());
    EXPECT_EQ(contents(again), (std::map<std::string, std::string> { { "beta", "two" }, { "gamma", "three" } }));
    uint8_t out[8];
    EXPECT_EQ(again.get(bytes_of("alpha"), Bytes(out, sizeof out)).error().code(), ErrorCode::NotFound);
}

TEST(Store, RefusesWhatExceedsTheLimits)
{
    // The largest record is a sixteenth of the ring: a 64 KiB value needs at least ~1.1 MiB.
    Fixture f(2 * 1024 * 1024);
    ASSERT_FALSE(Store::format(f.ssd).is_error());
    Store store(f.ssd, f.mem());
    ASSERT_FALSE(store.mount().is_error());
    EXPECT_EQ(store.put(bytes_of("k"), bytes_of("v")).error().code(), ErrorCode::NoTransaction);
    ASSERT_FALSE(store.begin().is_error());
    EXPECT_EQ(store.begin().error().code(), ErrorCode::Busy);
    EXPECT_EQ(store.put(bytes_of(std::string(256, 'k')), bytes_of("v")).error().code(), ErrorCode::TooBig);
    EXPECT_EQ(store.put(bytes_of(""), bytes_of("v")).error().code(), ErrorCode::TooBig);
    EXPECT_EQ(
        store.put(bytes_of("k"), bytes_of(std::string(kMaxValueLength + 1, 'v'))).error().code(), ErrorCode::TooBig);
    EXPECT_FALSE(store.put(bytes_of("k"), bytes_of(std::string(kMaxValueLength, 'v'))).is_error());
    EXPECT_FALSE(store.commit().is_error());
    EXPECT_EQ(store.commit().error().code(), ErrorCode::NoTransaction);

    Fixture small(64 * 1024);
    ASSERT_FALSE(Store::format(small.ssd).is_error());
    Store tiny(small.ssd, small.mem());
    ASSERT_FALSE(tiny.mount().is_error());
    ASSERT_FALSE(tiny.begin().is_error());
    EXPECT_EQ(tiny.put(bytes_of("k"), bytes_of(std::string(tiny.max_record(), 'v'))).error().code(), ErrorCode::TooBig)
        << "a record larger than a sixteenth of the ring";
}

// A random workload against a std::map: many keys (index splits), deletes, remounts, and
// enough traffic to turn the ring several times.
TEST(Store, RandomWorkloadMatchesAMapAcrossRotationsAndRemounts)
{
    for (uint64_t size : { 64 * 1024ULL, 256 * 1024ULL, 1024 * 1024ULL }) {
        Fixture f(size);
        ASSERT_FALSE(Store::format(f.ssd).is_error());
        auto store = std::make_unique<Store>(f.ssd, f.mem());
        ASSERT_FALSE(store->mount().is_error());
        std::map<std::string, std::string> model;
        Rng rng(size);
        uint64_t const key_space = size / 2048;
        int no_space = 0;
        int const steps = static_cast<int>(std::max<uint64_t>(3000, size / 96));
        uint64_t cleanings = 0;
        for (int step = 0; step < steps; ++step) {
            ASSERT_FALSE(store->begin().is_error());
            auto next = model;
            int const ops = 1 + static_cast<int>(rng.below(4));
            for (int i = 0; i < ops; ++i) {
                std::string key = "key" + std::to_string(rng.below(key_space));
                if (rng.chance(1, 4)) {
                    ASSERT_FALSE(store->remove(bytes_of(key)).is_error());
                    next.erase(key);
                } else {
                    std::string value(rng.between(0, 120), static_cast<char>('a' + rng.below(26)));
                    ASSERT_FALSE(store->put(bytes_of(key), bytes_of(value)).is_error());
                    next[key] = value;
                }
            }
            auto committed = store->commit();
            if (committed.is_error()) {
                ASSERT_EQ(committed.error().code(), ErrorCode::NoSpace) << error_name(committed.error().code());
                ++no_space;
            } else {
                model = next;
            }
            if (step % 500 == 499) {
                ASSERT_FALSE(store->sync().is_error());
                cleanings += store->write_stats().cleanings;
                store = std::make_unique<Store>(f.ssd, f.mem());
                ASSERT_FALSE(store->mount().is_error());
            }
            if (step % 250 == 0) {
                ASSERT_EQ(contents(*store), model) << "size " << size << " step " << step;
            }
        }
        ASSERT_EQ(contents(*store), model);
        EXPECT_EQ(no_space, 0) << "the live data stays far below capacity";
        auto const& stats = store->write_stats();
        EXPECT_GT(store->shape().head.value(), 2 * f.ssd.size()) << "the workload must turn the ring";
        EXPECT_GT(cleanings + stats.cleanings, 0u);
    }
}

TEST(Store, FullStoreSaysNoSpaceAndStaysConsistent)
{
    Fixture f(64 * 1024);
    ASSERT_FALSE(Store::format(f.ssd).is_error());
    Store store(f.ssd, f.mem());
    ASSERT_FALSE(store.mount().is_error());
    std::map<std::string, std::string> model;
    bool full = false;
    for (int i = 0; i < 1000 && !full; ++i) {
        std::string key = "k" + std::to_string(i);
        std::string value(200, 'x');
        auto result = put_one(store, key, value);
        if (result.is_error()) {
            ASSERT_EQ(result.error().code(), ErrorCode::NoSpace);
            full = true;
        } else {
            model[key] = value;
        }
    }
    ASSERT_TRUE(full);
    EXPECT_EQ(contents(store), model);
    // Deleting makes room again.
    ASSERT_FALSE(store.begin().is_error());
    ASSERT_FALSE(store.remove(bytes_of("k0")).is_error());
    ASSERT_FALSE(store.commit().is_error());
    model.erase("k0");
    ASSERT_FALSE(put_one(store, "new", "value").is_error());
    model["new"] = "value";
    ASSERT_FALSE(store.sync().is_error());
    Store again(f.ssd, f.mem());
    ASSERT_FALSE(again.mount().is_error());
    EXPECT_EQ(contents(again), model);
}

// Long keys make a narrow index: enough of them build several levels, and deleting most of
// them shrinks it again. Order, contents and remounts must hold throughout.
TEST(Store, IndexGrowsAndShrinksThroughSeveralLevels)
{
    Fixture f(4 * 1024 * 1024);
    ASSERT_FALSE(Store::format(f.ssd).is_error());
    auto store = std::make_unique<Store>(f.ssd, f.mem());
    ASSERT_FALSE(store->mount().is_error());
    std::map<std::string, std::string> model;
    Rng rng(99);
    for (int i = 0; i < 3000; ++i) {
        std::string key(200, 'k');
        std::string const number = std::to_string(rng.below(1000000));
        key.replace(key.size() - number.size(), number.size(), number);
        key[0] = static_cast<char>('a' + rng.below(26));
        std::string const value = std::to_string(i);
        ASSERT_FALSE(put_one(*store, key, value).is_error()) << i;
        model[key] = value;
    }
    ASSERT_FALSE(store->sync().is_error());
    store = std::make_unique<Store>(f.ssd, f.mem());
    ASSERT_FALSE(store->mount().is_error());
    EXPECT_GE(store->root().level, 2u) << "3000 keys of 200 bytes need at least three levels";
    ASSERT_EQ(contents(*store), model);

    int kept = 0;
    for (auto it = model.begin(); it != model.end();) {
        if (++kept % 50 == 0) {
            ++it;
            continue;
        }
        ASSERT_FALSE(store->begin().is_error());
        ASSERT_FALSE(store->remove(bytes_of(it->first)).is_error());
        ASSERT_FALSE(store->commit().is_error());
        it = model.erase(it);
    }
    ASSERT_FALSE(store->sync().is_error());
    store = std::make_unique<Store>(f.ssd, f.mem());
    ASSERT_FALSE(store->mount().is_error());
    ASSERT_EQ(contents(*store), model);
    EXPECT_LT(store->live_charge(), 60u * 700u);
}
