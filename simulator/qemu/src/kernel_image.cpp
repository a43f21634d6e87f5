#include <cstring>
#include <elf.h>
#include <ferros/base/bytes.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/kernel_image.h>
#include <fmt/format.h>
#include <optional>

namespace ferros::qemu {

namespace {

    constexpr uint32_t kXenElfnotePhys32Entry = 18;

    // The PVH entry from a PT_NOTE segment's Xen note, as QEMU's loader finds it: the name
    // "Xen", type XEN_ELFNOTE_PHYS32_ENTRY, a 4- or 8-byte little-endian descriptor.
    std::optional<uint64_t> pvh_entry(const uint8_t* notes, size_t size)
    {
        size_t at = 0;
        auto align4 = [](size_t n) { return (n + 3) & ~size_t(3); };
        while (size - at >= 12) {
            uint32_t const name_size = load_le32(notes + at), desc_size = load_le32(notes + at + 4);
            uint32_t const type = load_le32(notes + at + 8);
            size_t const name_at = at + 12;
            if (name_size > size - name_at)
                return std::nullopt;
            size_t const desc_at = name_at + align4(name_size);
            if (desc_at > size || desc_size > size - desc_at)
                return std::nullopt;
            if (type == kXenElfnotePhys32Entry && name_size == 4 && std::memcmp(notes + name_at, "Xen", 4) == 0
                && (desc_size == 4 || desc_size == 8))
                return load_le(notes + desc_at, desc_size);
            at = desc_at + align4(desc_size);
        }
        return std::nullopt;
    }

    // ELF32 (i386) and ELF64 (x86-64) alike: PVH takes either.
    template<typename Ehdr, typename Phdr>
    Result<KernelImage> load(
        const std::string& path, const std::vector<uint8_t>& data, uint16_t machine, uint64_t ram_bytes)
    {
        auto bad
            = [&](const char* why) { return Failure(ErrorCode::BadFormat, fmt::format("kernel '{}': {}", path, why)); };
        Ehdr header;
        if (data.size() < sizeof header)
            return bad("shorter than its ELF header");
        std::memcpy(&header, data.data(), sizeof header);
        if (header.e_machine != machine || header.e_type != ET_EXEC)
            return bad("not an x86 executable");
        if (header.e_phentsize != sizeof(Phdr) || header.e_phoff > data.size()
            || header.e_phnum > (data.size() - header.e_phoff) / sizeof(Phdr))
            return bad("its program headers lie beyond the file");
        KernelImage image;
        std::optional<uint64_t> entry;
        for (size_t i = 0; i < header.e_phnum; ++i) {
            Phdr ph;
            std::memcpy(&ph, data.data() + header.e_phoff + i * sizeof ph, sizeof ph);
            if (ph.p_offset > data.size() || ph.p_filesz > data.size() - ph.p_offset)
                return bad("a segment lies beyond the file");
            if (ph.p_type == PT_NOTE && !entry)
                entry = pvh_entry(data.data() + ph.p_offset, ph.p_filesz);
            if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
                continue;
            if (ph.p_filesz > ph.p_memsz)
                return bad("a segment's file size exceeds its memory size");
            uint64_t const begin = ph.p_paddr, end = begin + ph.p_memsz;
            if (end < begin || end > ram_bytes)
                return Failure(ErrorCode::OutOfRange,
                    fmt::format("kernel '{}': segment [{:#x}, {:#x}) is not inside {} bytes of guest RAM", path, begin,
                        end, ram_bytes));
            KernelSegment segment;
            segment.address = begin;
            segment.bytes.assign(data.begin() + static_cast<ptrdiff_t>(ph.p_offset),
                data.begin() + static_cast<ptrdiff_t>(ph.p_offset + ph.p_filesz));
            segment.memory_size = ph.p_memsz;
            segment.executable = (ph.p_flags & PF_X) != 0;
            image.segments.push_back(std::move(segment));
        }
        if (image.segments.empty())
            return bad("no PT_LOAD segment");
        if (!entry)
            return bad("no PVH entry note (Xen, XEN_ELFNOTE_PHYS32_ENTRY)");
        image.entry = *entry;
        return image;
    }

} // namespace

Result<KernelImage> load_kernel_image(const std::string& path, uint64_t ram_bytes)
{
    auto const data = TRY(read_file(path, "kernel"));
    if (data.size() < EI_NIDENT || std::memcmp(data.data(), ELFMAG, SELFMAG) != 0 || data[EI_DATA] != ELFDATA2LSB)
        return Failure(ErrorCode::BadFormat, fmt::format("kernel '{}': not a little-endian ELF file", path));
    if (data[EI_CLASS] == ELFCLASS64)
        return load<Elf64_Ehdr, Elf64_Phdr>(path, data, EM_X86_64, ram_bytes);
    if (data[EI_CLASS] == ELFCLASS32)
        return load<Elf32_Ehdr, Elf32_Phdr>(path, data, EM_386, ram_bytes);
    return Failure(ErrorCode::BadFormat, fmt::format("kernel '{}': neither ELF32 nor ELF64", path));
}

} // namespace ferros::qemu
