#pragma once
// Whether a page of a program segment can be mapped in place, from the image's own memory,
// instead of being copied into a fresh page.
//
// Why: every copy of code is a guest write into pages QEMU has translated, so it throws the
// translations away; a reboot worker (docs/machine.md) that resets the machine and boots again
// then retranslates the whole store server at every boot (52 ms a check instead of 6.5).
// Mapping the code where the kernel image (or the boot module) already holds it writes
// nothing, and costs no page either. The image is never written: only segments that are not
// writable qualify, and only pages whose every byte lies inside the image, so a user program
// never sees a byte of kernel memory beside it.

#include <stdint.h>

namespace ferros::kernel {

constexpr uint64_t kInPlacePageSize = 4096;

struct InPlaceSegment {
    uint64_t address; // p_vaddr
    uint64_t offset; // p_offset in the image
    uint64_t file_size; // p_filesz
    uint64_t memory_size; // p_memsz
    bool writable;
};

// `page` is a page-aligned user address inside the segment's pages; `image_base` the address
// of the image's first byte (identity-mapped, so also its physical address) and `image_size`
// its length. Returns true and sets `image_offset` to where the page starts in the image when
// the page can be mapped in place: the segment is read-only or code, the page starts on a page
// boundary of memory, lies wholly inside the image, and every byte of the segment in it comes
// from the file (a page the segment's zero fill reaches must be a fresh zeroed one). The
// segment must already have been checked (check_segment: inside the file, in the window).
constexpr bool in_place_offset(
    const InPlaceSegment& s, uint64_t page, uint64_t image_base, uint64_t image_size, uint64_t& image_offset)
{
    if (s.writable)
        return false;
    // The page's first byte in the image: the segment's first byte is at s.offset and maps to
    // s.address; the page may begin before the segment (a segment need not start on a page).
    if (page + s.offset < s.address)
        return false;
    uint64_t const start = page + s.offset - s.address;
    if ((image_base + start) % kInPlacePageSize != 0)
        return false;
    if (start > image_size || kInPlacePageSize > image_size - start)
        return false;
    uint64_t const memory_end = s.address + s.memory_size;
    uint64_t const file_end = s.address + s.file_size;
    uint64_t const page_end = page + kInPlacePageSize;
    // Zero fill inside this page: [file_end, min(memory_end, page_end)) must be empty.
    uint64_t const fill_end = memory_end < page_end ? memory_end : page_end;
    if (file_end < fill_end)
        return false;
    image_offset = start;
    return true;
}

} // namespace ferros::kernel
