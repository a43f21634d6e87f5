#pragma once
// The PVH boot protocol's start info, as Xen's public/arch-x86/hvm/start_info.h defines it.
// QEMU's firmware (qboot on microvm) fills it and passes its physical address in EBX to the
// entry point named by the XEN_ELFNOTE_PHYS32_ENTRY note.

#include <stdint.h>

namespace ferros::kernel::x86_64::pvh {

constexpr uint32_t kStartInfoMagic = 0x336ec578;
// Version 1 added the memory map; the kernel needs it, so version 0 is refused.
constexpr uint32_t kMinVersion = 1;
constexpr uint32_t kMemmapTypeRam = 1;

struct StartInfo {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr; // version >= 1
    uint32_t memmap_entries; // version >= 1
    uint32_t reserved;
};
static_assert(sizeof(StartInfo) == 56);

struct ModlistEntry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};
static_assert(sizeof(ModlistEntry) == 32);

struct MemmapTableEntry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};
static_assert(sizeof(MemmapTableEntry) == 24);

} // namespace ferros::kernel::x86_64::pvh
