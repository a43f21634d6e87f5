// Which pages of a program the kernel maps where the image holds them (process/in_place.h):
// only pages of read-only segments, wholly inside the image, aligned in memory, and with no
// zero fill; every other page is copied.
#include "process/in_place.h"
#include <gtest/gtest.h>

using ferros::kernel::in_place_offset;
using ferros::kernel::InPlaceSegment;

namespace {

constexpr uint64_t kBase = 0x200000; // a page-aligned image
constexpr uint64_t kSize = 5 * 4096;
// Code at file offset 0x1000, mapped at 0x80_0020_1000, 0x2345 bytes.
constexpr InPlaceSegment kCode { 0x8000201000, 0x1000, 0x2345, 0x2345, false };

bool maps(const InPlaceSegment& s, uint64_t page, uint64_t base = kBase, uint64_t size = kSize)
{
    uint64_t offset = ~0ull;
    return in_place_offset(s, page, base, size, offset);
}

} // namespace

TEST(InPlace, CodePagesMapTheImageAtTheirFileOffset)
{
    for (uint64_t i = 0; i < 3; ++i) {
        uint64_t offset = 0;
        ASSERT_TRUE(in_place_offset(kCode, kCode.address + i * 4096, kBase, kSize, offset)) << i;
        EXPECT_EQ(offset, 0x1000 + i * 4096);
    }
}

TEST(InPlace, AWritableSegmentIsAlwaysCopied)
{
    InPlaceSegment data = kCode;
    data.writable = true;
    EXPECT_FALSE(maps(data, data.address));
}

TEST(InPlace, AnImageThatIsNotPageAlignedInMemoryIsCopied) { EXPECT_FALSE(maps(kCode, kCode.address, kBase + 16)); }

TEST(InPlace, APageReachingPastTheImageIsCopiedSoNoKernelByteShows)
{
    // The image ends 0x100 bytes into the segment's third page.
    uint64_t const size = 0x1000 + 2 * 4096 + 0x100;
    EXPECT_TRUE(maps(kCode, kCode.address + 4096, kBase, size));
    EXPECT_FALSE(maps(kCode, kCode.address + 2 * 4096, kBase, size));
}

TEST(InPlace, APageWithZeroFillIsCopied)
{
    // Read-only data whose memory size exceeds its file size: the page holding the end of
    // the file part must read zero after it, which the image's page does not.
    InPlaceSegment rodata { 0x8000201000, 0x1000, 0x1800, 0x3000, false };
    EXPECT_TRUE(maps(rodata, rodata.address));
    EXPECT_FALSE(maps(rodata, rodata.address + 4096));
    EXPECT_FALSE(maps(rodata, rodata.address + 2 * 4096));
}

TEST(InPlace, ASegmentThatStartsMidPageMapsItsFirstPageFromTheBytesBeforeIt)
{
    // p_vaddr and p_offset agree modulo the page size, as ELF requires.
    InPlaceSegment code { 0x8000201100, 0x1100, 0x200, 0x200, false };
    uint64_t offset = 0;
    ASSERT_TRUE(in_place_offset(code, 0x8000201000, kBase, kSize, offset));
    EXPECT_EQ(offset, 0x1000u);
    // Offsets that disagree modulo the page size cannot be mapped in place.
    InPlaceSegment skewed { 0x8000201100, 0x1180, 0x200, 0x200, false };
    EXPECT_FALSE(maps(skewed, 0x8000201000));
    // A segment at the image's first bytes maps from offset 0; one whose page would begin
    // before the image cannot be mapped in place.
    InPlaceSegment early { 0x8000201100, 0x100, 0x200, 0x200, false };
    EXPECT_TRUE(maps(early, 0x8000201000));
    InPlaceSegment before { 0x8000201100, 0x0, 0x200, 0x200, false };
    EXPECT_FALSE(maps(before, 0x8000201000));
}
