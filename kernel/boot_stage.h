#pragma once
// Announces boot stages (abi/include/ferros/abi/boot_stages.def) to both observers: the plugin
// sees a marker store, the serial log gets the line `ferros: stage NAME vt=NS`.

#include <ferros/abi/machine.h>
#include <stdint.h>

namespace ferros::kernel {

// Announces `stage`, passed at virtual time `timestamp` (nanoseconds, from arch::timestamp()).
void announce_stage(abi::BootStage stage, uint64_t timestamp);

// Announces `stage` as passed now.
void pass_stage(abi::BootStage stage);

} // namespace ferros::kernel
