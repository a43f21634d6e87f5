// Validates the PVH start info and translates it into a BootInfo. Everything here is outside
// input: each field is checked before it is followed, and a bad one is an error value.

#include "arch/platform.h"
#include "arch/x86_64/pvh.h"

namespace ferros::kernel::arch {

namespace {

    using x86_64::pvh::MemmapTableEntry;
    using x86_64::pvh::ModlistEntry;
    using x86_64::pvh::StartInfo;

    // A command line longer than this without a NUL is taken as garbage.
    constexpr size_t kMaxCommandLine = 4096;

    // True when [paddr, paddr + size) is non-wrapping and inside the identity map, so that the
    // kernel may dereference it.
    bool is_mapped(uint64_t paddr, uint64_t size)
    {
        return paddr != 0 && paddr + size >= paddr && paddr + size <= identity_mapped_end();
    }

    template<typename T>
    const T* mapped_pointer(uint64_t paddr)
    {
        return reinterpret_cast<const T*>(paddr);
    }

    ErrorOr<StringView> read_command_line(uint64_t paddr)
    {
        if (paddr == 0)
            return StringView();
        if (!is_mapped(paddr, kMaxCommandLine))
            return Error(ErrorCode::OutOfRange, "command line outside the identity map");
        const char* characters = mapped_pointer<char>(paddr);
        for (size_t length = 0; length < kMaxCommandLine; ++length) {
            if (characters[length] == '\0')
                return StringView(characters, length);
        }
        return Error(ErrorCode::TooBig, "command line is not terminated within 4 KiB");
    }

    ErrorOr<void> read_memory_map(const StartInfo& info, MemoryMap& map)
    {
        if (info.memmap_entries == 0)
            return Error(ErrorCode::NotFound, "memory map is empty");
        if (info.memmap_entries > MemoryMap::kMaxRegions)
            return Error(ErrorCode::TooBig, "memory map has too many entries");
        if (!is_mapped(info.memmap_paddr, info.memmap_entries * sizeof(MemmapTableEntry)))
            return Error(ErrorCode::OutOfRange, "memory map outside the identity map");
        const auto* entries = mapped_pointer<MemmapTableEntry>(info.memmap_paddr);
        for (uint32_t i = 0; i < info.memmap_entries; ++i) {
            auto type = entries[i].type == x86_64::pvh::kMemmapTypeRam ? RegionType::Ram : RegionType::Reserved;
            TRY(map.add_firmware_entry(entries[i].addr, entries[i].size, type));
        }
        return {};
    }

} // namespace

ErrorOr<BootInfo> read_boot_info(uintptr_t handle)
{
    if (!is_mapped(handle, sizeof(StartInfo)))
        return Error(ErrorCode::OutOfRange, "start info pointer is null or unmapped");
    const auto& info = *mapped_pointer<StartInfo>(handle);
    if (info.magic != x86_64::pvh::kStartInfoMagic)
        return Error(ErrorCode::BadFormat, "bad magic");
    if (info.version < x86_64::pvh::kMinVersion)
        return Error(ErrorCode::Unsupported, "start info version 0 has no memory map");

    BootInfo boot_info;
    boot_info.command_line = TRY(read_command_line(info.cmdline_paddr));
    TRY(read_memory_map(info, boot_info.memory_map));

    // Only the first module is the workload; QEMU passes at most one (-initrd).
    boot_info.module_count = info.nr_modules;
    if (info.nr_modules > 0) {
        if (!is_mapped(info.modlist_paddr, sizeof(ModlistEntry)))
            return Error(ErrorCode::OutOfRange, "module list outside the identity map");
        const auto& module = *mapped_pointer<ModlistEntry>(info.modlist_paddr);
        if (!is_mapped(module.paddr, module.size))
            return Error(ErrorCode::OutOfRange, "workload module outside the identity map");
        boot_info.module = PhysicalRange(PhysicalAddress(module.paddr), module.size);
    }
    return boot_info;
}

} // namespace ferros::kernel::arch
