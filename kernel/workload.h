#pragma once
// The workload: the bytes of the first boot module (QEMU's -initrd). Later work interprets
// them; for now the kernel locates them and reports size and checksum, so that a host test can
// tell that the guest saw exactly the file it was given.

#include "lib/physical_range.h"
#include <ferros/base/bytes.h>
#include <stdint.h>

namespace ferros::kernel {

class Workload {
public:
    // `range` must already be reserved in the memory map (the bytes are read in place).
    static Workload locate(PhysicalRange range);

    PhysicalRange range() const { return m_range; }
    ReadonlyBytes bytes() const { return m_bytes; }
    uint32_t crc32c() const { return m_crc32c; }

private:
    PhysicalRange m_range;
    ReadonlyBytes m_bytes;
    uint32_t m_crc32c { 0 };
};

} // namespace ferros::kernel
