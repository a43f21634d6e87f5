#include "store_fixture.h"
#include <ferros/kernel/interrupted_format.h>
#include <ferros/ring/anchor.h>

using namespace ferros;
using namespace ferros::kernel;

namespace {

class InterruptedFormat : public test_support::StoreFixture {
protected:
    bool check()
    {
        auto result = is_interrupted_format(m_ssd, Bytes(m_scratch));
        EXPECT_FALSE(result.is_error());
        return !result.is_error() && result.value();
    }
    // Damages the checksum of every anchor that verifies: what a torn anchor write leaves.
    void tear_anchors()
    {
        auto geometry = ring::Geometry::create(m_ssd.size()).value();
        for (uint64_t slot = 0; slot < ring::kAnchorSlots; ++slot) {
            uint8_t bytes[ring::kAnchorSize];
            ASSERT_FALSE(m_ssd.read(ring::anchor_slot_offset(slot), Bytes(bytes)).is_error());
            if (ring::decode_anchor(bytes, geometry, ring::VerifyChecksum::Yes).is_error())
                continue;
            uint8_t torn = static_cast<uint8_t>(bytes[ring::kAnchorSize - 1] ^ 0xff);
            DeviceOffset at(ring::anchor_slot_offset(slot).value() + ring::kAnchorSize - 1);
            ASSERT_FALSE(m_ssd.write(at, ReadonlyBytes(&torn, 1)).is_error());
        }
    }

    uint8_t m_scratch[4096];
};

} // namespace

TEST_F(InterruptedFormat, AFormattedStoreIsNot) { EXPECT_FALSE(check()); }

TEST_F(InterruptedFormat, ATornFirstAnchorOverAZeroRingIs)
{
    storage::HostSsd blank(1 << 20, storage::HostSsd::Tracking::Off);
    ASSERT_FALSE(storage::Store::format(blank).is_error());
    m_ssd = std::move(blank);
    tear_anchors();
    storage::Store store(m_ssd, Bytes(reinterpret_cast<uint8_t*>(m_memory.data()), storage::Store::kMemorySize));
    auto mounted = store.mount();
    ASSERT_TRUE(mounted.is_error());
    EXPECT_EQ(mounted.error().code(), ErrorCode::Corrupt);
    EXPECT_TRUE(check());
}

TEST_F(InterruptedFormat, ADamagedStoreWithDataIsNot)
{
    uint8_t key = 'k';
    ASSERT_FALSE(m_store.begin().is_error());
    ASSERT_FALSE(m_store.put(ReadonlyBytes(&key, 1), ReadonlyBytes(&key, 1)).is_error());
    ASSERT_FALSE(m_store.commit().is_error());
    ASSERT_FALSE(m_store.sync().is_error());
    tear_anchors();
    EXPECT_FALSE(check());
}
