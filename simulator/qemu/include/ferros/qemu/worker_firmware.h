#pragma once
// The reboot worker's firmware image: 64 KiB whose last 256 bytes are the stub that jumps to
// the kernel (simulator/qemu/firmware/worker_stub.S), and whose other bytes hold what of the
// captured hand-off lies in the ISA BIOS range 0xf0000-0xfffff (qboot keeps its start info
// there, and the image appears at that range). The hand-off's other regions are ordinary RAM,
// which the host writes before each state.

#include <cstddef>
#include <cstdint>
#include <ferros/base/failure.h>
#include <ferros/plugin/handoff.h>
#include <vector>

namespace ferros::qemu {

// The assembled stub (generated from worker_stub.S at build time).
extern const uint8_t kWorkerStub[];
extern const size_t kWorkerStubSize;

struct WorkerFirmware {
    std::vector<uint8_t> image; // the -bios file's bytes
    std::vector<plugin::HandoffRegion> ram_regions; // the hand-off outside the image
};

// Errors: OutOfRange (the start info or the entry at or above 4 GiB; a region that straddles
// the ISA BIOS range's edge or overlaps the stub).
Result<WorkerFirmware> make_worker_firmware(const plugin::Handoff& handoff, uint64_t entry);

} // namespace ferros::qemu
