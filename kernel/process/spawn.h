#pragma once
// Creates a process from a program of the boot bundle: a fresh address space with the ELF's
// segments, the argument page, a stack and (if granted) the workload, and the handles its
// grants name (docs/kernel.md, process start).

#include "process/process.h"
#include <ferros/abi/bundle.h>

namespace ferros::kernel {

// What the running system gives the programs it starts.
struct SpawnContext {
    ReadonlyBytes workload; // in identity-mapped memory that outlives every process
    uint32_t endpoints[abi::kMaxBundleEndpoints] {}; // boot endpoint i is endpoint endpoints[i]
};

void set_spawn_context(const abi::Bundle* bundle, const SpawnContext& context);
const abi::Bundle* spawn_bundle();

// A runnable process. Errors: NoMemory (no process slot or page), BadFormat (the image),
// TooBig (a workload over 512 MiB). Nothing is left behind on failure.
ErrorOr<Process*> spawn(const abi::BundleProgram& program);

} // namespace ferros::kernel
