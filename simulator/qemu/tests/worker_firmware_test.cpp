#include <ferros/base/bytes.h>
#include <ferros/qemu/worker_firmware.h>
#include <gtest/gtest.h>
#include <worker_stub.h>

using namespace ferros;

namespace {

// qboot's layout: the start info in the ISA BIOS range, the memory map and command line below.
plugin::Handoff qboot_handoff()
{
    plugin::Handoff handoff;
    handoff.start_info = 0xf59c0;
    handoff.regions.push_back({ 0xf59c0, std::vector<uint8_t>(56, 0xa1) });
    handoff.regions.push_back({ 0xefee0, std::vector<uint8_t>(144, 0xb2) });
    handoff.regions.push_back({ 0xeff70, std::vector<uint8_t>(30, 0xc3) });
    return handoff;
}

} // namespace

TEST(WorkerFirmware, PlacesTheStubAndTheHandOff)
{
    auto made = qemu::make_worker_firmware(qboot_handoff(), 0x100000);
    ASSERT_FALSE(made.is_error()) << made.error().message();
    auto const& image = made.value().image;
    ASSERT_EQ(image.size(), size_t(WORKER_FIRMWARE_SIZE));
    // The start info sits where the kernel will look for it: 0xf59c0 is image offset 0x59c0.
    EXPECT_EQ(
        std::vector<uint8_t>(image.begin() + 0x59c0, image.begin() + 0x59c0 + 56), std::vector<uint8_t>(56, 0xa1));
    // The stub ends the image, with its two words patched and the reset vector's near jump.
    EXPECT_EQ(image[WORKER_STUB_OFFSET], 0xfa); // cli
    EXPECT_EQ(load_le32(image.data() + WORKER_STUB_START_INFO), 0xf59c0u);
    EXPECT_EQ(load_le32(image.data() + WORKER_STUB_ENTRY), 0x100000u);
    EXPECT_EQ(image[WORKER_STUB_RESET], 0xe9);
    // The rest is RAM, for the host to write.
    ASSERT_EQ(made.value().ram_regions.size(), 2u);
    EXPECT_EQ(made.value().ram_regions[0].address, 0xefee0u);
    EXPECT_EQ(made.value().ram_regions[1].address, 0xeff70u);
}

TEST(WorkerFirmware, RefusesAHandOffItCannotHold)
{
    auto over_stub = qboot_handoff();
    over_stub.regions.push_back({ 0xffef0, std::vector<uint8_t>(32, 0) });
    EXPECT_EQ(qemu::make_worker_firmware(over_stub, 0x100000).error().code(), ErrorCode::OutOfRange);
    auto straddling = qboot_handoff();
    straddling.regions.push_back({ 0xefff0, std::vector<uint8_t>(32, 0) });
    EXPECT_EQ(qemu::make_worker_firmware(straddling, 0x100000).error().code(), ErrorCode::OutOfRange);
    EXPECT_EQ(qemu::make_worker_firmware(qboot_handoff(), 0x100000000ull).error().code(), ErrorCode::OutOfRange);
}
