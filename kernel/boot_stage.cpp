#include "boot_stage.h"
#include "arch/platform.h"
#include "console.h"
#include "marker.h"

namespace ferros::kernel {

namespace {

    // Sixteen hex digits, always, by a loop whose length does not depend on the value: the
    // line costs the same instructions whatever the clock says. A reboot worker's guest runs
    // on a virtual clock that keeps counting across resets; a decimal number of more digits
    // would make its recovery longer than a fresh QEMU's on the same image.
    void hex16(uint64_t value, char* out)
    {
        constexpr char kDigits[] = "0123456789abcdef";
        for (int i = 0; i < 16; ++i)
            out[i] = kDigits[(value >> (60 - 4 * i)) & 0xf];
        out[16] = '\0';
    }

} // namespace

void announce_stage(abi::BootStage stage, uint64_t timestamp)
{
    // The marker first: it is the plugin's timestamp of the stage, and the serial line after
    // it costs a few hundred instructions.
    store_marker(abi::MarkerKind::Stage, static_cast<uint64_t>(stage));
    char digits[17];
    hex16(timestamp, digits);
    kprintf("ferros: stage %s vt=0x%s\n", abi::boot_stage_text(stage), digits);
}

void pass_stage(abi::BootStage stage) { announce_stage(stage, arch::timestamp()); }

} // namespace ferros::kernel
