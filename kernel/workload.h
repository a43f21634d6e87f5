#pragma once
// The workload: the bytes of the first boot module (QEMU's -initrd). Later work interprets
// them; for now the kernel locates them and reports their size and first bytes. Nothing here
// reads the whole module: the path to `ready` must not grow with the workload's size (R9).

#include "lib/physical_range.h"
#include <ferros/base/bytes.h>
#include <stddef.h>
#include <stdint.h>

namespace ferros::kernel {

class Workload {
public:
    // `range` must already be reserved in the memory map (the bytes are read in place).
    static Workload locate(PhysicalRange range);

    PhysicalRange range() const { return m_range; }
    ReadonlyBytes bytes() const { return m_bytes; }

    // How many leading bytes the console line shows (enough for a format header).
    static constexpr size_t kHeadBytes = 16;
    // Prints `ferros: workload paddr=0x... size=N head=HEX`.
    void report() const;

private:
    PhysicalRange m_range;
    ReadonlyBytes m_bytes;
};

} // namespace ferros::kernel
