#include <cstring>
#include <ferros/base/bytes.h>
#include <ferros/qemu/worker_firmware.h>
#include <fmt/format.h>
#include <worker_stub.h>

namespace ferros::qemu {

Result<WorkerFirmware> make_worker_firmware(const plugin::Handoff& handoff, uint64_t entry)
{
    static_assert(WORKER_STUB_OFFSET + WORKER_STUB_SIZE == WORKER_FIRMWARE_SIZE, "the stub ends the image");
    if (kWorkerStubSize != WORKER_STUB_SIZE)
        return Failure(ErrorCode::BadFormat,
            fmt::format("the firmware stub is {} bytes, not {}", kWorkerStubSize, WORKER_STUB_SIZE));
    // The stub loads both with 32-bit moves, in 32-bit protected mode.
    if (handoff.start_info > UINT32_MAX || entry > UINT32_MAX)
        return Failure(ErrorCode::OutOfRange,
            fmt::format("PVH start info {:#x} or entry {:#x} at or above 4 GiB", handoff.start_info, entry));
    WorkerFirmware firmware;
    firmware.image.assign(WORKER_FIRMWARE_SIZE, 0);
    uint64_t const isa_begin = WORKER_FIRMWARE_ISA_BASE;
    uint64_t const isa_end = isa_begin + WORKER_FIRMWARE_SIZE;
    uint64_t const stub_begin = isa_begin + WORKER_STUB_OFFSET;
    for (auto const& region : handoff.regions) {
        uint64_t const begin = region.address, end = begin + region.bytes.size();
        if (end <= isa_begin || begin >= isa_end) {
            firmware.ram_regions.push_back(region);
            continue;
        }
        if (begin < isa_begin || end > isa_end || end > stub_begin)
            return Failure(ErrorCode::OutOfRange,
                fmt::format("hand-off region [{:#x}, {:#x}) does not fit the firmware image below its stub at {:#x}",
                    begin, end, stub_begin));
        std::memcpy(firmware.image.data() + (begin - isa_begin), region.bytes.data(), region.bytes.size());
    }
    std::memcpy(firmware.image.data() + WORKER_STUB_OFFSET, kWorkerStub, WORKER_STUB_SIZE);
    store_le32(firmware.image.data() + WORKER_STUB_START_INFO, static_cast<uint32_t>(handoff.start_info));
    store_le32(firmware.image.data() + WORKER_STUB_ENTRY, static_cast<uint32_t>(entry));
    return firmware;
}

} // namespace ferros::qemu
