#include "workload.h"
#include <ferros/base/crc32c.h>

namespace ferros::kernel {

Workload Workload::locate(PhysicalRange range)
{
    Workload workload;
    workload.m_range = range;
    // Identity-mapped: the physical address is the pointer.
    workload.m_bytes = ReadonlyBytes(reinterpret_cast<const uint8_t*>(range.base().value()), range.size());
    workload.m_crc32c = ferros::crc32c(0, workload.m_bytes.data(), workload.m_bytes.size());
    return workload;
}

} // namespace ferros::kernel
