#pragma once
// The stores `ferros report boot` boots when it is given none: for each of a few device sizes,
// an empty formatted store and stores filled to fractions of what the store admits. Made by
// the host build of the store itself (format, commits of 1 KiB values, sync), deterministic
// for a seed, so the chart of time-to-ready against store size and fill is reproducible.

#include <cstdint>
#include <ferros/base/error_or.h>
#include <string>
#include <vector>

namespace ferros::reports {

struct StoreImage {
    std::string name; // "256k-half"
    std::vector<uint8_t> image;
    uint64_t live_bytes { 0 }; // the store's live charge after filling
};

// A formatted store of `device_bytes`, filled with committed and synced 1 KiB values until its
// live charge reaches `live_target` or the store is full. Errors: InvalidArgument (a device
// size the store refuses), NoMemory.
ErrorOr<StoreImage> filled_store(const std::string& name, uint64_t device_bytes, uint64_t live_target, uint64_t seed);

// 64 KiB, 256 KiB, 1 MiB and 4 MiB, each empty, a third, two thirds and full.
ErrorOr<std::vector<StoreImage>> default_boot_stores(uint64_t seed);

} // namespace ferros::reports
