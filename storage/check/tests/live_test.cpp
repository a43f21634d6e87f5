// R14 Live: the continuation after recovery (storage/live.h) and the checker's use of it.
#include <ferros/check/checker.h>
#include <ferros/check/workload.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/live.h>
#include <ferros/storage/store.h>
#include <gtest/gtest.h>
#include <map>
#include <string>

using namespace ferros;
using namespace ferros::check;

namespace {

constexpr uint64_t kDevice = 64 * 1024;

std::vector<uint8_t>& memory()
{
    static std::vector<uint8_t> buffer(storage::Store::kMemorySize + 8);
    return buffer;
}

ReadonlyBytes text(const std::string& s) { return ReadonlyBytes(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

// A formatted device holding `keys` keys of `value` bytes, synced; the oracle's view of it.
std::vector<uint8_t> populated(size_t keys, size_t value, History& history, storage::StoreOptions options = {})
{
    Workload workload;
    for (size_t k = 0; k < keys; ++k) {
        Operation op { Operation::Kind::Put, "key" + std::to_string(k), std::vector<uint8_t>(value) };
        for (size_t b = 0; b < value; ++b)
            op.value[b] = static_cast<uint8_t>(k * 3 + b);
        workload.push_back(Step { Step::Kind::Commit, Transaction { { op } } });
    }
    workload.push_back(Step { Step::Kind::Sync, {} });
    storage::HostSsd ssd(kDevice);
    EXPECT_FALSE(storage::Store::format(ssd).is_error());
    EXPECT_FALSE(run_workload(workload, ssd, options, history).is_error());
    return std::vector<uint8_t>(ssd.model().durable().begin(), ssd.model().durable().end());
}

struct Seen {
    std::map<std::string, size_t> puts; // key -> value length
    size_t removes { 0 };
};

storage::LiveObserver observer_of(Seen& seen)
{
    storage::LiveObserver observer;
    observer.context = &seen;
    observer.put = [](void* context, ReadonlyBytes key, ReadonlyBytes value) {
        static_cast<Seen*>(context)->puts[std::string(reinterpret_cast<const char*>(key.data()), key.size())]
            = value.size();
    };
    observer.remove = [](void* context, ReadonlyBytes) { ++static_cast<Seen*>(context)->removes; };
    return observer;
}

} // namespace

TEST(Live, TheContinuationTurnsTheRingAndCarriesRecoveredDataForward)
{
    History history;
    auto image = populated(20, 200, history);
    storage::HostSsd ssd(image);
    storage::Store store(ssd, Bytes(memory().data(), storage::Store::kMemorySize));
    ASSERT_FALSE(store.mount().is_error());
    std::vector<uint8_t> scratch(storage::kMaxValueLength);
    Seen seen;
    auto stats = storage::run_live(store, Bytes(scratch.data(), scratch.size()), observer_of(seen));
    ASSERT_FALSE(stats.is_error()) << error_name(stats.error().code());
    EXPECT_GE(stats.value().end_head - stats.value().start_head, store.ring_length()) << "the ring turned once more";
    EXPECT_GT(store.write_stats().relocation_bytes, 0u) << "the cleaner carried recovered values forward";
    EXPECT_GT(store.write_stats().cleanings, 0u);
    EXPECT_EQ(stats.value().removed, 0u) << "room enough: nothing recovered is deleted";
    EXPECT_EQ(seen.puts.size(), storage::kLiveKeys);
    EXPECT_EQ(stats.value().added, storage::kLiveKeys);
    EXPECT_EQ(stats.value().value_length, store.max_record() / 4);
    ASSERT_FALSE(storage::verify_live_keys(store, stats.value(), Bytes(scratch.data(), scratch.size())).is_error());
    // The recovered keys survived the lap, byte for byte, and so they do after a remount.
    for (int pass = 0; pass < 2; ++pass) {
        for (auto const& [key, value] : history.acknowledged_state()) {
            auto got = store.get(text(key), Bytes(scratch.data(), scratch.size()));
            ASSERT_FALSE(got.is_error()) << key;
            EXPECT_EQ(std::vector<uint8_t>(scratch.begin(), scratch.begin() + got.value()), value) << key;
        }
        ASSERT_FALSE(storage::verify_live_keys(store, stats.value(), Bytes(scratch.data(), scratch.size())).is_error());
        ASSERT_FALSE(store.mount().is_error());
        ASSERT_FALSE(store.verify_records().is_error());
    }
}

TEST(Live, AFullStoreMakesRoomForTheContinuation)
{
    // Fill to capacity: commits of new keys until the store refuses one.
    History history;
    auto image = populated(0, 0, history);
    storage::HostSsd ssd(image);
    storage::Store store(ssd, Bytes(memory().data(), storage::Store::kMemorySize));
    ASSERT_FALSE(store.mount().is_error());
    std::vector<uint8_t> value(300, 7);
    size_t keys = 0;
    while (true) {
        ASSERT_FALSE(store.begin().is_error());
        ASSERT_FALSE(
            store.put(text("full" + std::to_string(keys)), ReadonlyBytes(value.data(), value.size())).is_error());
        auto committed = store.commit();
        if (committed.is_error()) {
            ASSERT_EQ(committed.error().code(), ErrorCode::NoSpace);
            break;
        }
        ++keys;
    }
    ASSERT_FALSE(store.sync().is_error());
    ASSERT_FALSE(store.mount().is_error());
    std::vector<uint8_t> scratch(storage::kMaxValueLength);
    Seen seen;
    auto stats = storage::run_live(store, Bytes(scratch.data(), scratch.size()), observer_of(seen));
    ASSERT_FALSE(stats.is_error()) << error_name(stats.error().code());
    EXPECT_GT(stats.value().removed, 0u) << "a full store gives up recovered keys for the continuation's";
    EXPECT_EQ(seen.removes, stats.value().removed);
    EXPECT_EQ(stats.value().refused, 0u);
    EXPECT_GE(stats.value().end_head - stats.value().start_head, store.ring_length());
    ASSERT_FALSE(storage::verify_live_keys(store, stats.value(), Bytes(scratch.data(), scratch.size())).is_error());
}

TEST(Live, CheckerReportsAStoreThatCannotCommitAfterTheWrapAsR14Only)
{
    History history;
    auto const image = populated(12, 150, history);
    CheckOptions clean;
    EXPECT_TRUE(check_state(image, history, clean).empty());

    CheckOptions buggy;
    buggy.store.bug = storage::SeededBug::FreeSpaceForgetsWrap;
    auto const violations = check_state(image, history, buggy);
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].invariant, Invariant::R14);
    EXPECT_NE(violations[0].message.find("continuation"), std::string::npos) << violations[0].message;

    // Without the continuation the store looks perfect: it mounts and reads back correctly.
    buggy.live = false;
    EXPECT_TRUE(check_state(image, history, buggy).empty());
}

TEST(Live, TheKernelsRecordWalkAgreesWithAGoodStoreAndRefusesADamagedOne)
{
    // A small log budget: checkpoints move the log start past the first records, which only
    // the walk from the tail reads.
    History history;
    storage::StoreOptions small_log;
    small_log.log_budget = 1024;
    auto image = populated(12, 150, history, small_log);
    {
        storage::HostSsd ssd(image);
        storage::Store store(ssd, Bytes(memory().data(), storage::Store::kMemorySize));
        ASSERT_FALSE(store.mount().is_error());
        auto walked = store.verify_records();
        ASSERT_FALSE(walked.is_error());
        EXPECT_GE(walked.value().records, 12u);
        EXPECT_EQ(walked.value().bytes, store.shape().head.value() - store.shape().anchor.tail.value());
    }
    // Flip a byte in the payload of the first record (ring position 0, before the log start):
    // the mount does not read it, the walk from the tail does.
    storage::HostSsd probe(image);
    storage::Store store(probe, Bytes(memory().data(), storage::Store::kMemorySize));
    ASSERT_FALSE(store.mount().is_error());
    ASSERT_EQ(store.shape().anchor.tail.value(), 0u);
    ASSERT_GT(store.shape().anchor.log_start.value(), 300u);
    image[ring::kRingStart + 60] ^= 0x40;
    storage::HostSsd damaged(image);
    storage::Store again(damaged, Bytes(memory().data(), storage::Store::kMemorySize));
    ASSERT_FALSE(again.mount().is_error());
    auto walked = again.verify_records();
    ASSERT_TRUE(walked.is_error());
    EXPECT_EQ(walked.error().code(), ErrorCode::Corrupt);
}
