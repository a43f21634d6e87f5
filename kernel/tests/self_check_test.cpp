#include "store_fixture.h"
#include <algorithm>
#include <ferros/kernel/self_check.h>
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
