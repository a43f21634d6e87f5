#include <cstring>
#include <elf.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/kernel_image.h>
#include <ferros/qemu/machine_setup.h>
#include <gtest/gtest.h>
#include <optional>

using namespace ferros;

namespace {

// A minimal ELF64 kernel: one PT_LOAD segment (4 bytes of code, 4 KiB of memory) and a PT_NOTE
// with the PVH entry, as the real kernel's linker script lays them out.
struct TinyElf {
    Elf64_Ehdr header {};
    Elf64_Phdr load {};
    Elf64_Phdr note {};
    uint8_t code[4] { 0xf4, 0xeb, 0xfd, 0x90 };
    uint32_t note_words[3] { 4, 8, 18 };
    char note_name[4] { 'X', 'e', 'n', 0 };
    uint32_t note_entry[2] { 0x100000, 0 }; // 8 bytes, 4-aligned as the note packs them

    TinyElf()
    {
        std::memcpy(header.e_ident, ELFMAG, SELFMAG);
        header.e_ident[EI_CLASS] = ELFCLASS64;
        header.e_ident[EI_DATA] = ELFDATA2LSB;
        header.e_type = ET_EXEC;
        header.e_machine = EM_X86_64;
        header.e_entry = 0x100000;
        header.e_phoff = offsetof(TinyElf, load);
        header.e_phentsize = sizeof(Elf64_Phdr);
        header.e_phnum = 2;
        load.p_type = PT_LOAD;
        load.p_flags = PF_R | PF_X;
        load.p_offset = offsetof(TinyElf, code);
        load.p_paddr = 0x100000;
        load.p_filesz = sizeof code;
        load.p_memsz = 4096;
        note.p_type = PT_NOTE;
        note.p_offset = offsetof(TinyElf, note_words);
        note.p_filesz = sizeof note_words + sizeof note_name + sizeof note_entry;
    }
    std::vector<uint8_t> bytes() const
    {
        auto const* p = reinterpret_cast<const uint8_t*>(this);
        return std::vector<uint8_t>(p, p + sizeof *this);
    }
};

Result<qemu::KernelImage> load(const TinyElf& elf, uint64_t ram = 1 << 26)
{
    static auto scratch = qemu::ScratchDir::create().release_value();
    auto path = scratch.file("kernel.elf");
    EXPECT_FALSE(qemu::write_file_atomically(path, elf.bytes()).is_error());
    return qemu::load_kernel_image(path, ram);
}

} // namespace

TEST(KernelImage, LoadsSegmentsAndThePvhEntry)
{
    TinyElf elf;
    elf.note_entry[0] = 0x100002; // the note, not e_entry, names the PVH entry
    auto image = load(elf);
    ASSERT_FALSE(image.is_error()) << image.error().message();
    EXPECT_EQ(image.value().entry, 0x100002u);
    ASSERT_EQ(image.value().segments.size(), 1u);
    auto const& segment = image.value().segments[0];
    EXPECT_EQ(segment.address, 0x100000u);
    EXPECT_EQ(segment.bytes, std::vector<uint8_t>(elf.code, elf.code + 4));
    EXPECT_EQ(segment.memory_size, 4096u);
    EXPECT_TRUE(segment.executable);
}

#ifdef FERROS_TEST_KERNEL // presets that build no kernel (asan, fuzz) skip this one
TEST(KernelImage, LoadsTheBuiltKernel)
{
    auto image = qemu::load_kernel_image(FERROS_TEST_KERNEL, 128ull << 20);
    ASSERT_FALSE(image.is_error()) << image.error().message();
    EXPECT_EQ(image.value().entry, 0x100000u); // pvh_entry, the linker script's first byte
    size_t executable = 0;
    for (auto const& segment : image.value().segments)
        executable += segment.executable;
    EXPECT_EQ(executable, 1u);
}
#endif

TEST(KernelImage, RefusesWhatCannotBePlaced)
{
    auto code = [](const Result<qemu::KernelImage>& r) {
        return r.is_error() ? std::optional<ErrorCode>(r.error().code()) : std::nullopt;
    };
    TinyElf wrong_machine;
    wrong_machine.header.e_machine = EM_AARCH64;
    EXPECT_EQ(code(load(wrong_machine)), ErrorCode::BadFormat);
    TinyElf no_note;
    no_note.note_words[2] = 17;
    EXPECT_EQ(code(load(no_note)), ErrorCode::BadFormat);
    TinyElf beyond_file;
    beyond_file.load.p_filesz = 1 << 20;
    beyond_file.load.p_memsz = 1 << 20;
    EXPECT_EQ(code(load(beyond_file)), ErrorCode::BadFormat);
    TinyElf bigger_file_than_memory;
    bigger_file_than_memory.load.p_memsz = 2;
    EXPECT_EQ(code(load(bigger_file_than_memory)), ErrorCode::BadFormat);
    TinyElf headers_beyond_file;
    headers_beyond_file.header.e_phnum = 1000;
    EXPECT_EQ(code(load(headers_beyond_file)), ErrorCode::BadFormat);
    EXPECT_EQ(code(load(TinyElf {}, 0x100800)), ErrorCode::OutOfRange);
    TinyElf wrapping;
    wrapping.load.p_paddr = ~0ULL - 10;
    EXPECT_EQ(code(load(wrapping)), ErrorCode::OutOfRange);
    EXPECT_EQ(qemu::load_kernel_image("/nonexistent/kernel.elf", 1 << 26).error().code(), ErrorCode::NotFound);
}
