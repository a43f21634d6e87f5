#include "memory_map.h"
#include "ssd_window.h"
#include <ferros/abi/machine.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::kernel;

namespace {

PhysicalRange range(uint64_t base, uint64_t size) { return PhysicalRange(PhysicalAddress(base), size); }

// The map QEMU's microvm gives a 128 MiB guest.
MemoryMap microvm_128m()
{
    MemoryMap map;
    EXPECT_FALSE(map.add_region(range(0, 0x9fc00), RegionType::Ram).is_error());
    EXPECT_FALSE(map.add_region(range(0x9fc00, 0x400), RegionType::Reserved).is_error());
    EXPECT_FALSE(map.add_region(range(0x100000, 0x7eff000), RegionType::Ram).is_error());
    EXPECT_FALSE(map.add_region(range(0x7fff000, 0x1000), RegionType::Reserved).is_error());
    EXPECT_FALSE(map.reserve(range(0x100000, 0x15000), Owner::KernelImage).is_error());
    EXPECT_FALSE(map.reserve(range(ferros::abi::kMarkerPage, 0x2000), Owner::MachinePages).is_error());
    return map;
}

ErrorOr<PhysicalRange> ssd(MemoryMap& map, uint64_t base, uint64_t size)
{
    SsdRequest request;
    request.base = base;
    request.size = size;
    return reserve_ssd_window(request, map);
}

} // namespace

TEST(MemoryMap, FirmwareEntriesOfZeroLengthAreSkipped)
{
    // qboot's PVH memory map ends with an all-zero entry.
    MemoryMap map;
    EXPECT_FALSE(map.add_firmware_entry(0, 0x9fc00, RegionType::Ram).is_error());
    EXPECT_FALSE(map.add_firmware_entry(0x100000, 0x7f00000, RegionType::Ram).is_error());
    EXPECT_FALSE(map.add_firmware_entry(0, 0, RegionType::Reserved).is_error());
    EXPECT_FALSE(map.add_firmware_entry(0x7fff000, 0, RegionType::Ram).is_error());
    EXPECT_EQ(map.region_count(), 2u);
    EXPECT_TRUE(map.is_ram(range(0x100000, 0x1000)));
}

TEST(MemoryMap, FirmwareEntriesThatWrapAreRefused)
{
    MemoryMap map;
    auto wrapped = map.add_firmware_entry(0xffff'ffff'ffff'f000ULL, 0x2000, RegionType::Ram);
    ASSERT_TRUE(wrapped.is_error());
    EXPECT_EQ(wrapped.error().code(), ErrorCode::BadFormat);
    EXPECT_EQ(map.region_count(), 0u);
}

TEST(MemoryMap, RamMustBeOneRegion)
{
    auto map = microvm_128m();
    EXPECT_TRUE(map.is_ram(range(0x100000, 0x1000)));
    EXPECT_FALSE(map.is_ram(range(0x9f000, 0x2000))); // crosses into reserved
    EXPECT_FALSE(map.is_ram(range(0x7ffe000, 0x2000)));
}

TEST(MemoryMap, ReservationsMayNotOverlap)
{
    auto map = microvm_128m();
    auto overlap = map.reserve(range(0x114000, 0x2000), Owner::Workload);
    ASSERT_TRUE(overlap.is_error());
    EXPECT_EQ(overlap.error().code(), ErrorCode::Busy);
    EXPECT_EQ(map.reservation_count(), 2u);
    // The loader may put a module partly in what the map calls reserved.
    EXPECT_FALSE(map.reserve(range(0x7ffe000, 0x1388), Owner::Workload, Placement::LoaderChosen).is_error());
}

TEST(SsdWindow, AcceptsAnAlignedWindowInRam)
{
    auto map = microvm_128m();
    auto window = ssd(map, 0x4000000, 0x100000);
    ASSERT_FALSE(window.is_error());
    EXPECT_EQ(window.value().base().value(), 0x4000000u);
    EXPECT_EQ(map.reservation_count(), 3u);
}

TEST(SsdWindow, RefusesWhatTheContractForbids)
{
    struct Case {
        uint64_t base, size;
        ErrorCode code;
    };
    for (auto c : {
             Case { 0x4000001, 0x1000, ErrorCode::InvalidArgument }, // unaligned base
             Case { 0x4000000, 0x1001, ErrorCode::InvalidArgument }, // unaligned size
             Case { 0x4000000, 0, ErrorCode::InvalidArgument }, // empty
             Case { 0xfffffffffffff000, 0x2000, ErrorCode::InvalidArgument }, // wraps
             Case { 0x800000, 0x1000, ErrorCode::OutOfRange }, // below 16 MiB
             Case { 0x7f00000, 0x200000, ErrorCode::OutOfRange }, // runs past RAM
             Case { 0xfff00000, 0x1000, ErrorCode::OutOfRange }, // not RAM
             Case { 0xfffff000, 0x2000, ErrorCode::OutOfRange }, // beyond the identity map
         }) {
        auto map = microvm_128m();
        auto window = ssd(map, c.base, c.size);
        ASSERT_TRUE(window.is_error()) << std::hex << c.base << "," << c.size;
        EXPECT_EQ(window.error().code(), c.code) << std::hex << c.base << "," << c.size;
        EXPECT_EQ(map.reservation_count(), 2u);
    }
}

TEST(SsdWindow, RefusesOverlapWithTheWorkload)
{
    auto map = microvm_128m();
    ASSERT_FALSE(map.reserve(range(0x7ffe000, 0x1388), Owner::Workload, Placement::LoaderChosen).is_error());
    auto window = ssd(map, 0x7f00000, 0xff000);
    ASSERT_TRUE(window.is_error());
    EXPECT_EQ(window.error().code(), ErrorCode::Busy);
}
