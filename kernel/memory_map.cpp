#include "memory_map.h"

namespace ferros::kernel {

const char* owner_name(Owner owner)
{
    switch (owner) {
    case Owner::KernelImage:
        return "kernel-image";
    case Owner::MachinePages:
        return "machine-pages";
    case Owner::Workload:
        return "workload";
    case Owner::SsdWindow:
        return "ssd-window";
    }
    return "unknown";
}

namespace {

    // Error contexts are static strings, so each owner has its sentence.
    const char* overlap_message(Owner owner)
    {
        switch (owner) {
        case Owner::KernelImage:
            return "overlaps the kernel image";
        case Owner::MachinePages:
            return "overlaps the marker and control pages";
        case Owner::Workload:
            return "overlaps the workload module";
        case Owner::SsdWindow:
            return "overlaps the SSD window";
        }
        return "overlaps an earlier reservation";
    }

} // namespace

ErrorOr<void> MemoryMap::add_region(PhysicalRange range, RegionType type)
{
    if (m_region_count == kMaxRegions)
        return Error(ErrorCode::TooBig, "memory map has too many regions");
    m_regions[m_region_count++] = Region { range, type };
    return {};
}

ErrorOr<void> MemoryMap::add_firmware_entry(uint64_t base, uint64_t size, RegionType type)
{
    if (size == 0)
        return {};
    if (!PhysicalRange::is_valid(base, size))
        return Error(ErrorCode::BadFormat, "memory map entry wraps past the end of the address space");
    return add_region(PhysicalRange(PhysicalAddress(base), size), type);
}

bool MemoryMap::is_ram(PhysicalRange range) const
{
    for (size_t i = 0; i < m_region_count; ++i) {
        if (m_regions[i].type == RegionType::Ram && m_regions[i].range.contains(range))
            return true;
    }
    return false;
}

ErrorOr<void> MemoryMap::reserve(PhysicalRange range, Owner owner, Placement placement)
{
    if (placement == Placement::InRam && !is_ram(range))
        return Error(ErrorCode::OutOfRange, "not inside a RAM region of the memory map");
    for (size_t i = 0; i < m_reservation_count; ++i) {
        if (m_reservations[i].range.overlaps(range))
            return Error(ErrorCode::Busy, overlap_message(m_reservations[i].owner));
    }
    if (m_reservation_count == kMaxReservations)
        return Error(ErrorCode::TooBig, "too many reservations");
    m_reservations[m_reservation_count++] = Reservation { range, owner };
    return {};
}

} // namespace ferros::kernel
