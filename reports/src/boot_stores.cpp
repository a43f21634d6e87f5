#include <ferros/base/rng.h>
#include <ferros/reports/boot_stores.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <fmt/format.h>
#include <memory>

namespace ferros::reports {

ErrorOr<StoreImage> filled_store(const std::string& name, uint64_t device_bytes, uint64_t live_target, uint64_t seed)
{
    storage::HostSsd ssd(device_bytes, storage::HostSsd::Tracking::Off);
    TRY(storage::Store::format(ssd));
    // The store's working memory is large (about 600 KiB): on the heap, 8-byte aligned.
    auto memory = std::make_unique<uint64_t[]>(storage::Store::kMemorySize / 8 + 1);
    storage::Store store(ssd, Bytes(reinterpret_cast<uint8_t*>(memory.get()), storage::Store::kMemorySize));
    TRY(store.mount());
    Rng rng(seed);
    std::vector<uint8_t> value(1024);
    for (uint32_t i = 0; store.live_charge() < live_target; ++i) {
        for (auto& byte : value)
            byte = static_cast<uint8_t>(rng.next());
        auto key = fmt::format("fill-{:06}", i);
        TRY(store.begin());
        TRY(store.put(ReadonlyBytes(reinterpret_cast<const uint8_t*>(key.data()), key.size()),
            ReadonlyBytes(value.data(), value.size())));
        auto committed = store.commit();
        if (committed.is_error()) {
            if (committed.error().code() == ErrorCode::NoSpace)
                break; // full: as full as this store gets
            return committed.error();
        }
    }
    TRY(store.sync());
    StoreImage out { name, std::vector<uint8_t>(device_bytes), store.live_charge() };
    TRY(ssd.read(DeviceOffset(0), Bytes(out.image.data(), out.image.size())));
    return out;
}

ErrorOr<std::vector<StoreImage>> default_boot_stores(uint64_t seed)
{
    std::vector<StoreImage> out;
    for (uint64_t kib : { 64, 256, 1024, 4096 }) {
        uint64_t const size = kib * 1024;
        // The capacity of an empty store of this size bounds the fill.
        auto empty = TRY(filled_store(fmt::format("{}k-empty", kib), size, 0, seed));
        storage::HostSsd probe(empty.image, storage::HostSsd::Tracking::Off);
        auto memory = std::make_unique<uint64_t[]>(storage::Store::kMemorySize / 8 + 1);
        storage::Store store(probe, Bytes(reinterpret_cast<uint8_t*>(memory.get()), storage::Store::kMemorySize));
        TRY(store.mount());
        uint64_t const capacity = store.capacity();
        out.push_back(std::move(empty));
        out.push_back(TRY(filled_store(fmt::format("{}k-third", kib), size, capacity / 3, seed)));
        out.push_back(TRY(filled_store(fmt::format("{}k-two-thirds", kib), size, capacity * 2 / 3, seed)));
        out.push_back(TRY(filled_store(fmt::format("{}k-full", kib), size, capacity, seed)));
    }
    return out;
}

} // namespace ferros::reports
