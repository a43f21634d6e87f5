#pragma once
// The machine's RAM as the firmware described it, and the parts of it the kernel has handed
// out. Nothing allocates from RAM yet; the map exists so that every fixed user of memory (the
// kernel image, the marker and control pages, the workload module, the SSD window) is checked
// against the firmware's map and against each other before it is used ("validate, then act").

#include "lib/physical_range.h"
#include <ferros/base/error_or.h>
#include <stddef.h>

namespace ferros::kernel {

enum class RegionType : uint8_t {
    Ram,
    Reserved, // anything the firmware did not call RAM (ACPI, holes, MMIO)
};

enum class Owner : uint8_t {
    KernelImage,
    MachinePages, // the marker and control pages of the machine contract
    Workload,
    SsdWindow,
};

const char* owner_name(Owner owner);

// Where a reservation may lie.
enum class Placement : uint8_t {
    InRam, // inside one region the firmware calls RAM
    // Placed by the boot loader, which knows better than its own map: QEMU puts -initrd so that
    // it ends just below its initrd limit, which on microvm lies inside the last RAM page that
    // the memory map calls reserved. Only overlap with other reservations is refused.
    LoaderChosen,
};

class MemoryMap {
public:
    // Enough for every map QEMU builds; a firmware that reports more is refused, not truncated.
    static constexpr size_t kMaxRegions = 32;
    static constexpr size_t kMaxReservations = 8;

    struct Region {
        PhysicalRange range;
        RegionType type;
    };
    struct Reservation {
        PhysicalRange range;
        Owner owner;
    };

    // Fails with TooBig when the map is full.
    ErrorOr<void> add_region(PhysicalRange range, RegionType type);
    // One entry of the firmware's table, as given. A zero-length entry describes nothing and
    // is skipped (qboot ends its PVH memory map with an all-zero entry; E820 parsers elsewhere
    // skip such entries too); an entry that wraps past 2^64 is refused with BadFormat.
    ErrorOr<void> add_firmware_entry(uint64_t base, uint64_t size, RegionType type);

    // True when `range` lies entirely inside one RAM region.
    bool is_ram(PhysicalRange range) const;

    // Marks `range` as used by `owner`. Fails with OutOfRange when `placement` is InRam and the
    // range is not RAM, with Busy when it overlaps an earlier reservation (the error's context
    // names that reservation's owner). The map is unchanged on failure.
    ErrorOr<void> reserve(PhysicalRange range, Owner owner, Placement placement = Placement::InRam);

    size_t region_count() const { return m_region_count; }
    const Region& region(size_t i) const { return m_regions[i]; }
    size_t reservation_count() const { return m_reservation_count; }
    const Reservation& reservation(size_t i) const { return m_reservations[i]; }

private:
    Region m_regions[kMaxRegions] {};
    size_t m_region_count { 0 };
    Reservation m_reservations[kMaxReservations] {};
    size_t m_reservation_count { 0 };
};

} // namespace ferros::kernel
