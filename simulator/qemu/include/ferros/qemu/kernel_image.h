#pragma once
// The kernel's loadable segments as a loader places them in guest RAM: for each ELF PT_LOAD
// header, p_filesz bytes from the file at p_paddr, then zeros up to p_memsz (the .bss). A
// reboot worker writes them into guest RAM itself before each state (reboot_worker.h).

#include <cstdint>
#include <ferros/base/failure.h>
#include <string>
#include <vector>

namespace ferros::qemu {

struct KernelSegment {
    uint64_t address { 0 }; // guest-physical (p_paddr)
    std::vector<uint8_t> bytes; // the file's part (p_filesz)
    uint64_t memory_size { 0 }; // p_memsz: the rest is zero
    bool executable { false };
};

struct KernelImage {
    uint64_t entry { 0 }; // the PVH entry (the Xen note QEMU's loader also reads)
    std::vector<KernelSegment> segments;
};

// ELF32 (i386) or ELF64 (x86-64), as PVH allows. Errors: NotFound (the file cannot be read),
// BadFormat (not a little-endian x86 ELF executable, a header or segment beyond the file,
// p_filesz > p_memsz, no PT_LOAD segment, no PVH entry note), OutOfRange (a segment that
// wraps or ends beyond `ram_bytes`).
Result<KernelImage> load_kernel_image(const std::string& path, uint64_t ram_bytes);

} // namespace ferros::qemu
