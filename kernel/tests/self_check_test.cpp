#include "store_fixture.h"
#include <algorithm>
#include <ferros/kernel/recovery.h>
#include <ferros/kernel/self_check.h>
#include <ferros/ring/record.h>
#include <optional>
#include <string>

using namespace ferros;
using namespace ferros::kernel;

namespace {

class SelfCheck : public test_support::StoreFixture {
protected:
    void put(const std::string& key, size_t value_length)
    {
        std::string value(value_length, 'v');
        auto bytes
            = [](const std::string& s) { return ReadonlyBytes(reinterpret_cast<const uint8_t*>(s.data()), s.size()); };
        ASSERT_FALSE(m_store.begin().is_error());
        ASSERT_FALSE(m_store.put(bytes(key), bytes(value)).is_error());
        ASSERT_FALSE(m_store.commit().is_error());
    }

    uint8_t m_scratch[65536];
};

} // namespace

TEST_F(SelfCheck, AnEmptyStorePasses)
{
    auto result = self_check(m_store, Bytes(m_scratch));
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result.value().keys, 0u);
    EXPECT_EQ(result.value().bytes, 0u);
}

TEST_F(SelfCheck, CountsEveryKeyAndValueByte)
{
    put("b", 10);
    put("a", 0);
    put("c", 65536);
    put("bb", 5);
    auto result = self_check(m_store, Bytes(m_scratch));
    ASSERT_FALSE(result.is_error()) << result.error().message();
    EXPECT_EQ(result.value().keys, 4u);
    EXPECT_EQ(result.value().bytes, 65551u);
}

TEST_F(SelfCheck, ReportsACorruptValue)
{
    put("key", 100);
    // Flip a byte of the value inside its record: the store's checksum must catch it.
    auto image = m_ssd.model().visible();
    std::string value(100, 'v');
    auto at = std::search(image.begin(), image.end(), value.begin(), value.end());
    ASSERT_NE(at, image.end());
    uint8_t flipped = static_cast<uint8_t>(*at ^ 0xff);
    ASSERT_FALSE(
        m_ssd.write(DeviceOffset(static_cast<uint64_t>(at - image.begin())), ReadonlyBytes(&flipped, 1)).is_error());
    auto result = self_check(m_store, Bytes(m_scratch));
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
}

TEST_F(SelfCheck, WalksRecordsThatNoKeyReaches)
{
    // The first value of "key" is overwritten: no key reaches its record any more, but it lies
    // between tail and head, so the walk of records (as the host checker's) must verify it.
    put("key", 100);
    std::string const newer(100, 'w');
    ASSERT_FALSE(m_store.begin().is_error());
    ASSERT_FALSE(m_store
                     .put(ReadonlyBytes(reinterpret_cast<const uint8_t*>("key"), 3),
                         ReadonlyBytes(reinterpret_cast<const uint8_t*>(newer.data()), newer.size()))
                     .is_error());
    ASSERT_FALSE(m_store.commit().is_error());
    auto clean = self_check(m_store, Bytes(m_scratch));
    ASSERT_FALSE(clean.is_error());
    EXPECT_GE(clean.value().records, 2u);
    EXPECT_EQ(clean.value().keys, 1u);

    auto image = m_ssd.model().visible();
    std::string const older(100, 'v');
    auto at = std::search(image.begin(), image.end(), older.begin(), older.end());
    ASSERT_NE(at, image.end());
    uint8_t flipped = static_cast<uint8_t>(*at ^ 0xff);
    ASSERT_FALSE(
        m_ssd.write(DeviceOffset(static_cast<uint64_t>(at - image.begin())), ReadonlyBytes(&flipped, 1)).is_error());
    auto result = self_check(m_store, Bytes(m_scratch));
    ASSERT_TRUE(result.is_error()) << "a damaged record no key reaches";
    EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
}

// The live charge is recovered from the last commit's record header (aux); one that is not what
// the keys hold is an accounting the next commits would trust (mutation 12 of
// tests/mutations admits more than the capacity), so the self-check refuses it.
TEST_F(SelfCheck, ReportsALiveChargeTheKeysDoNotHold)
{
    put("key", 100);
    put("other", 300);
    ASSERT_FALSE(self_check(m_store, Bytes(m_scratch)).is_error());
    uint64_t const charge = m_store.live_charge();
    // The last Txn record carries the charge: rewrite it one byte higher, with a valid checksum.
    auto image = m_ssd.model().visible();
    std::optional<size_t> found;
    ring::RecordHeader header;
    for (size_t offset = 0; offset + ring::kRecordHeaderSize <= image.size(); offset += 8) {
        auto decoded = ring::decode_header(image.data() + offset);
        if (!decoded.is_error() && decoded.value().type == ring::RecordType::Txn && decoded.value().aux == charge) {
            found = offset;
            header = decoded.value();
        }
    }
    ASSERT_TRUE(found.has_value());
    std::vector<uint8_t> record(image.begin() + *found, image.begin() + *found + header.length);
    header.aux = charge + 1;
    header.crc = 0;
    ring::encode_header(header, record.data());
    header.crc = ring::record_crc(record.data(), record.size());
    ring::encode_header(header, record.data());
    ASSERT_FALSE(m_ssd.write(DeviceOffset(*found), ReadonlyBytes(record.data(), record.size())).is_error());
    ASSERT_FALSE(m_store.mount().is_error());
    EXPECT_EQ(m_store.live_charge(), charge + 1);
    auto result = self_check(m_store, Bytes(m_scratch));
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
    EXPECT_STREQ(result.error().context(), "the store's live charge is not what its keys hold");
}

// R14 in the guest: the continuation after the boot self-check turns the ring and leaves what
// it wrote, the recovered keys untouched, before and after a remount.
TEST_F(SelfCheck, TheContinuationTurnsTheRingAndKeepsTheRecoveredKeys)
{
    for (int i = 0; i < 20; ++i)
        put("key" + std::to_string(i), 2000);
    auto before = self_check(m_store, Bytes(m_scratch));
    ASSERT_FALSE(before.is_error());
    auto live = check_live(m_store, before.value(), Bytes(m_scratch));
    ASSERT_FALSE(live.is_error()) << error_name(live.error().code()) << ": " << live.error().context();
    EXPECT_GE(live.value().ring_bytes, m_store.ring_length());
    EXPECT_GT(live.value().relocated_bytes, 0u) << "the recovered keys were carried forward";
    EXPECT_EQ(live.value().removed, 0u);
    auto after = self_check(m_store, Bytes(m_scratch));
    ASSERT_FALSE(after.is_error());
    EXPECT_EQ(after.value().keys, 20u + storage::kLiveKeys);
}

TEST(SelfCheckLive, AStoreThatCannotCommitAfterTheWrapFailsTheContinuationOnly)
{
    storage::HostSsd ssd(64 * 1024, storage::HostSsd::Tracking::Off);
    std::vector<uint64_t> memory(storage::Store::kMemorySize / 8 + 1);
    storage::StoreOptions options;
    options.bug = storage::SeededBug::FreeSpaceForgetsWrap;
    storage::Store store(ssd, Bytes(reinterpret_cast<uint8_t*>(memory.data()), storage::Store::kMemorySize), options);
    ASSERT_FALSE(storage::Store::format(ssd, options).is_error());
    ASSERT_FALSE(store.mount().is_error());
    static uint8_t scratch[65536];
    auto before = self_check(store, Bytes(scratch));
    ASSERT_FALSE(before.is_error()) << "the store mounts and reads back correctly";
    auto live = check_live(store, before.value(), Bytes(scratch));
    ASSERT_TRUE(live.is_error());
}
