#include "workload.h"
#include "console.h"

namespace ferros::kernel {

Workload Workload::locate(PhysicalRange range)
{
    Workload workload;
    workload.m_range = range;
    // Identity-mapped: the physical address is the pointer.
    workload.m_bytes = ReadonlyBytes(reinterpret_cast<const uint8_t*>(range.base().value()), range.size());
    return workload;
}

void Workload::report() const
{
    kprintf("ferros: workload paddr=0x%lx size=%lu head=", m_range.base().value(), m_range.size());
    for (size_t i = 0; i < m_bytes.size() && i < kHeadBytes; ++i)
        kprintf("%02x", m_bytes[i]);
    kprintf("\n");
}

} // namespace ferros::kernel
