#pragma once
// Creates a process from a program of the boot bundle: a fresh address space with the ELF's
// segments, the argument page, a stack and (if granted) the workload, and the handles its
// grants name (docs/kernel.md, process start).

#include "lib/physical_range.h"
#include "process/process.h"
#include <ferros/abi/bundle.h>

namespace ferros::kernel {

// What the running system gives the programs it starts.
struct SpawnContext {
    ReadonlyBytes workload; // in identity-mapped memory that outlives every process
    uint32_t endpoints[abi::kMaxBundleEndpoints] {}; // boot endpoint i is endpoint endpoints[i]
};

void set_spawn_context(const abi::Bundle* bundle, const SpawnContext& context);

// The store service (with ferros.ssd=): the store endpoint, the SSD window and the argument
// bytes of the store server (the seeded bug's name). The grant `store` names the endpoint as a
// Store handle (Read, Write); the grant `device` makes the store server (docs/kernel.md).
struct StoreService {
    bool present { false };
    uint32_t endpoint { 0 };
    PhysicalRange window;
    ReadonlyBytes server_args;
};
void set_store_service(const StoreService& service);
// The object of a Store handle on a machine without an SSD: the store calls check their
// arguments, then answer Unsupported.
constexpr uint32_t kNoStore = 0xffff'ffff;

// Which bundle a program comes from, and the bundle its Spawn handle (grant spawn) names: the
// boot module's, or the kernel's built-in one (the store's supervisor and server).
enum class BundleOrigin : uint32_t { Module = 0, Builtin = 1 };
void set_builtin_bundle(const abi::Bundle* bundle);
// nullptr for an origin without a bundle.
const abi::Bundle* spawn_bundle(BundleOrigin origin);

// A runnable process. Errors: NoMemory (no process slot or page), BadFormat (the image),
// TooBig (a workload over 512 MiB, a window over 240 MiB), Unsupported (the grant device
// without a store service), Busy (the grant device while a store server serves). Nothing is
// left behind on failure.
ErrorOr<Process*> spawn(const abi::BundleProgram& program, BundleOrigin origin);

} // namespace ferros::kernel
