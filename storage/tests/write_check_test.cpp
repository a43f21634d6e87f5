// The store's write checks (docs/storage-format.md 6.1): a device that does not hold what the
// store wrote (here a bit flipped on the way, as a bad register in the copy would) stops the
// store before the commit returns, and the next mount treats the bad record as a torn tail.
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
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

// Passes everything to a HostSsd, except that the write numbered `bad_write` lands with one bit
// of its `bit_at`-th byte flipped.
class FlippingSsd final : public ring::Ssd {
public:
    explicit FlippingSsd(HostSsd& inner)
        : m_inner(inner)
    {
    }
    uint64_t size() const override { return m_inner.size(); }
    ErrorOr<void> read(DeviceOffset offset, Bytes out) override { return m_inner.read(offset, out); }
    ErrorOr<void> write(DeviceOffset offset, ReadonlyBytes data) override
    {
        if (m_writes++ != bad_write || data.empty())
            return m_inner.write(offset, data);
        std::vector<uint8_t> copy(data.begin(), data.end());
        copy[bit_at % copy.size()] ^= 0x10;
        return m_inner.write(offset, ReadonlyBytes(copy.data(), copy.size()));
    }
    ErrorOr<void> flush() override { return m_inner.flush(); }

    uint64_t bad_write { ~0ull };
    uint64_t bit_at { 0 };
    uint64_t writes() const { return m_writes; }

private:
    HostSsd& m_inner;
    uint64_t m_writes { 0 };
};

ErrorOr<void> put_one(Store& store, const std::string& key, const std::string& value)
{
    TRY(store.begin());
    TRY(store.put(bytes_of(key), bytes_of(value)));
    return store.commit();
}

std::string value_of(Store& store, const std::string& key)
{
    std::vector<uint8_t> out(kMaxValueLength);
    auto got = store.get(bytes_of(key), Bytes(out.data(), out.size()));
    if (got.is_error())
        return std::string("error: ") + error_name(got.error().code());
    return std::string(reinterpret_cast<const char*>(out.data()), got.value());
}

} // namespace

TEST(WriteCheck, ADeviceThatDoesNotHoldTheRecordStopsTheStoreAndTheNextMountTearsIt)
{
    // Flip a byte in the header (the position field) and one in the payload (the value).
    for (uint64_t bit_at : { 26u, 70u }) {
        HostSsd device(64 * 1024);
        ASSERT_FALSE(Store::format(device).is_error());
        std::vector<uint64_t> memory(Store::kMemorySize / 8 + 1);
        Bytes const mem(reinterpret_cast<uint8_t*>(memory.data()), Store::kMemorySize);
        {
            FlippingSsd ssd(device);
            Store store(ssd, mem, StoreOptions {});
            ASSERT_FALSE(store.mount().is_error());
            ASSERT_FALSE(put_one(store, "kept", "before").is_error());
            ASSERT_FALSE(store.sync().is_error());
            ssd.bad_write = ssd.writes();
            ssd.bit_at = bit_at;
            auto committed = put_one(store, "lost", "a value long enough to flip a byte of it");
            ASSERT_TRUE(committed.is_error()) << bit_at;
            EXPECT_EQ(committed.error().code(), ErrorCode::Corrupt);
            EXPECT_TRUE(store.failed());
            EXPECT_TRUE(store.fail_stopped());
            // Stopped: nothing more is served from state that went bad.
            EXPECT_EQ(value_of(store, "kept"), "error: Io");
        }
        // The restart: a mount of the same device keeps what was committed before and tears
        // the record that never was acknowledged.
        Store again(device, mem, StoreOptions {});
        ASSERT_FALSE(again.mount().is_error());
        EXPECT_EQ(value_of(again, "kept"), "before");
        EXPECT_EQ(value_of(again, "lost"), "error: NotFound");
        EXPECT_FALSE(again.verify_records().is_error());
        EXPECT_FALSE(again.failed());
    }
}

TEST(WriteCheck, ASoundDeviceNeverTripsIt)
{
    HostSsd device(64 * 1024);
    ASSERT_FALSE(Store::format(device).is_error());
    std::vector<uint64_t> memory(Store::kMemorySize / 8 + 1);
    Store store(device, Bytes(reinterpret_cast<uint8_t*>(memory.data()), Store::kMemorySize), StoreOptions {});
    ASSERT_FALSE(store.mount().is_error());
    // Enough commits to turn the ring several times: relocations, index nodes, pads, anchors.
    for (int i = 0; i < 2000; ++i) {
        auto const key = "key-" + std::to_string(i % 20);
        auto const value = std::string(static_cast<size_t>(50 + i % 200), static_cast<char>('a' + i % 26));
        auto const committed = put_one(store, key, value);
        ASSERT_FALSE(committed.is_error()) << i << ": " << error_name(committed.error().code());
    }
    EXPECT_FALSE(store.failed());
    EXPECT_GT(store.write_stats().node_bytes, 0u);
}
