#include "process/elf_loader.h"
#include "memory/page_pool.h"
#include "process/in_place.h"
#include <ferros/abi/syscall.h>

namespace ferros::kernel {

namespace {

    constexpr size_t kElfHeaderSize = 64;
    constexpr size_t kProgramHeaderSize = 56;
    constexpr size_t kMaxProgramHeaders = 16;
    constexpr uint32_t kLoad = 1;
    constexpr uint32_t kFlagExecute = 1;
    constexpr uint32_t kFlagWrite = 2;

    struct Segment {
        uint32_t type;
        uint32_t flags;
        uint64_t offset;
        uint64_t address;
        uint64_t file_size;
        uint64_t memory_size;
    };

    Segment read_segment(const uint8_t* p)
    {
        return Segment { load_le32(p), load_le32(p + 4), load_le64(p + 8), load_le64(p + 16), load_le64(p + 32),
            load_le64(p + 40) };
    }

    ErrorOr<void> check_segment(const Segment& s, size_t image_size)
    {
        if (s.file_size > s.memory_size)
            return Error(ErrorCode::BadFormat, "a segment's file size exceeds its memory size");
        if (s.offset > image_size || s.file_size > image_size - s.offset)
            return Error(ErrorCode::BadFormat, "a segment lies outside the file");
        uint64_t const end = s.address + s.memory_size;
        if (end < s.address || s.address < abi::kUserImageBase || end > abi::kUserImageEnd)
            return Error(ErrorCode::BadFormat, "a segment lies outside the program window");
        if ((s.flags & kFlagWrite) && (s.flags & kFlagExecute))
            return Error(ErrorCode::BadFormat, "a segment is writable and executable");
        return {};
    }

    PageAccess access_of(const Segment& s)
    {
        if (s.flags & kFlagExecute)
            return PageAccess::ReadExecute;
        return (s.flags & kFlagWrite) ? PageAccess::ReadWrite : PageAccess::ReadOnly;
    }

    ErrorOr<void> map_segment(const Segment& s, ReadonlyBytes image, AddressSpace& space)
    {
        uint64_t const first = s.address & ~(kPageSize - 1);
        uint64_t const end = s.address + s.memory_size;
        InPlaceSegment const shape { s.address, s.offset, s.file_size, s.memory_size, (s.flags & kFlagWrite) != 0 };
        uint64_t const image_base = reinterpret_cast<uint64_t>(image.data());
        // The pages no byte of the file reaches (.bss) are fresh zero pages, mapped as a run.
        uint64_t const file_end = s.address + s.file_size;
        uint64_t const zero_from = file_end <= first ? first : ((file_end + kPageSize - 1) & ~(kPageSize - 1));
        uint64_t const copy_end = zero_from < end ? zero_from : end;
        if (zero_from < end)
            TRY(space.map_new_range(zero_from, (end - zero_from + kPageSize - 1) / kPageSize, access_of(s)));
        for (uint64_t page = first; page < copy_end; page += kPageSize) {
            // Code and read-only data map the image's own page when it lines up (in_place.h:
            // a copy would make QEMU retranslate the program at every boot of a reboot worker).
            uint64_t in_image = 0;
            if (in_place_offset(shape, page, image_base, image.size(), in_image)) {
                TRY(space.map(page, PhysicalAddress(image_base + in_image), access_of(s), PageOwnership::Borrowed));
                continue;
            }
            PhysicalAddress frame = TRY(space.map_new(page, access_of(s)));
            // The part of [page, page + 4096) that the file provides; the rest stays zero.
            uint64_t const from = page > s.address ? page : s.address;
            uint64_t const to = page + kPageSize < file_end ? page + kPageSize : file_end;
            if (from < to)
                __builtin_memcpy(
                    page_pointer(frame) + (from - page), image.data() + s.offset + (from - s.address), to - from);
        }
        return {};
    }

} // namespace

ErrorOr<uint64_t> load_elf(ReadonlyBytes image, AddressSpace& space)
{
    if (image.size() < kElfHeaderSize)
        return Error(ErrorCode::BadFormat, "shorter than an ELF header");
    const uint8_t* h = image.data();
    bool const elf64_le = h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F' && h[4] == 2 && h[5] == 1;
    // ET_EXEC for EM_X86_64: a static executable linked at its address, nothing to relocate.
    if (!elf64_le || load_le16(h + 16) != 2 || load_le16(h + 18) != 62)
        return Error(ErrorCode::BadFormat, "not a static x86_64 ELF64 executable");
    uint64_t const entry = load_le64(h + 24);
    uint64_t const table = load_le64(h + 32);
    uint16_t const entry_size = load_le16(h + 54);
    uint16_t const count = load_le16(h + 56);
    if (entry_size != kProgramHeaderSize)
        return Error(ErrorCode::BadFormat, "unexpected program header size");
    if (count > kMaxProgramHeaders)
        return Error(ErrorCode::TooBig, "more than 16 program headers");
    if (table > image.size() || count * kProgramHeaderSize > image.size() - table)
        return Error(ErrorCode::BadFormat, "the program header table lies outside the file");

    // Validate every segment, and that the entry is in executable code, before mapping any.
    bool entry_ok = false;
    for (size_t i = 0; i < count; ++i) {
        Segment const s = read_segment(h + table + i * kProgramHeaderSize);
        // An empty segment maps nothing (linkers emit one for a program without data).
        if (s.type != kLoad || s.memory_size == 0)
            continue;
        TRY(check_segment(s, image.size()));
        if ((s.flags & kFlagExecute) && entry >= s.address && entry < s.address + s.memory_size)
            entry_ok = true;
    }
    if (!entry_ok)
        return Error(ErrorCode::BadFormat, "the entry point is not in an executable segment");
    for (size_t i = 0; i < count; ++i) {
        Segment const s = read_segment(h + table + i * kProgramHeaderSize);
        if (s.type == kLoad && s.memory_size != 0)
            TRY(map_segment(s, image, space));
    }
    return entry;
}

} // namespace ferros::kernel
