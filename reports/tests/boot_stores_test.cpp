#include <ferros/reports/boot_stores.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <gtest/gtest.h>
#include <memory>

using namespace ferros;
using namespace ferros::reports;

namespace {

uint64_t mounted_live_bytes(const std::vector<uint8_t>& image)
{
    storage::HostSsd ssd(image, storage::HostSsd::Tracking::Off);
    auto memory = std::make_unique<uint64_t[]>(storage::Store::kMemorySize / 8 + 1);
    storage::Store store(ssd, Bytes(reinterpret_cast<uint8_t*>(memory.get()), storage::Store::kMemorySize));
    EXPECT_FALSE(store.mount().is_error());
    return store.live_charge();
}

} // namespace

TEST(BootStores, FilledStoreMountsWithWhatWasPut)
{
    auto s = filled_store("t", 256 * 1024, 20 * 1024, 1);
    ASSERT_FALSE(s.is_error());
    EXPECT_EQ(s.value().image.size(), 256u * 1024);
    EXPECT_GE(s.value().live_bytes, 20u * 1024);
    EXPECT_EQ(mounted_live_bytes(s.value().image), s.value().live_bytes);
    // Deterministic for a seed.
    EXPECT_EQ(filled_store("t", 256 * 1024, 20 * 1024, 1).value().image, s.value().image);
}

TEST(BootStores, DefaultStoresGrowInSizeAndFill)
{
    auto stores = default_boot_stores(1);
    ASSERT_FALSE(stores.is_error());
    ASSERT_EQ(stores.value().size(), 16u);
    for (size_t i = 0; i < 16; i += 4) {
        auto const& empty = stores.value()[i];
        EXPECT_EQ(empty.live_bytes, mounted_live_bytes(empty.image));
        for (size_t k = 1; k < 4; ++k)
            EXPECT_GT(stores.value()[i + k].live_bytes, stores.value()[i + k - 1].live_bytes)
                << stores.value()[i + k].name;
    }
    EXPECT_EQ(stores.value()[15].name, "4096k-full");
    EXPECT_EQ(stores.value()[15].image.size(), 4096u * 1024);
}
