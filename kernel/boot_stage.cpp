#include "boot_stage.h"
#include "arch/platform.h"
#include "console.h"
#include "marker.h"

namespace ferros::kernel {

void announce_stage(abi::BootStage stage, uint64_t timestamp)
{
    // The marker first: it is the plugin's timestamp of the stage, and the serial line after
    // it costs a few hundred instructions.
    store_marker(abi::MarkerKind::Stage, static_cast<uint64_t>(stage));
    kprintf("ferros: stage %s vt=%lu\n", abi::boot_stage_text(stage), timestamp);
}

void pass_stage(abi::BootStage stage) { announce_stage(stage, arch::timestamp()); }

} // namespace ferros::kernel
