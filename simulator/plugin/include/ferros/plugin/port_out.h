#pragma once
// Recognises x86 `out` instructions from their bytes, so that the plugin can see the guest
// write isa-debug-exit's port: QEMU 10 turns that write into an asynchronous shutdown
// request, and the vCPU runs on for a moment. The boundary right after the `out` is the
// deterministic end of the run; whatever the vCPU does before QEMU stops it is not.

#include <cstddef>
#include <cstdint>
#include <optional>

namespace ferros::plugin {

struct PortOut {
    bool port_in_dx { false }; // `out %al|%ax|%eax, %dx`
    uint16_t port { 0 }; // the immediate port when !port_in_dx
};

// `bytes` is one whole instruction (as QEMU decoded it). Nothing for anything but OUT
// (opcodes E6, E7, EE, EF after legacy and REX prefixes).
std::optional<PortOut> decode_port_out(const uint8_t* bytes, size_t size);

} // namespace ferros::plugin
