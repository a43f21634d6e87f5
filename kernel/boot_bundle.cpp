#include "boot_bundle.h"
#include "ipc/endpoint.h"
#include "process/spawn.h"

extern "C" const uint8_t ferros_builtin_bundle[];
extern "C" const uint8_t ferros_builtin_bundle_end[];

namespace ferros::kernel {

ErrorOr<BootPrograms> decode_boot_module(ReadonlyBytes module)
{
    BootPrograms programs;
    if (abi::Bundle::has_magic(module)) {
        programs.bundle = TRY(abi::Bundle::parse(module));
    } else {
        ReadonlyBytes const builtin(
            ferros_builtin_bundle, static_cast<size_t>(ferros_builtin_bundle_end - ferros_builtin_bundle));
        programs.bundle = TRY(abi::Bundle::parse(builtin));
        programs.bundle.set_workload(module);
    }
    if (programs.bundle.has_workload())
        programs.workload = TRY(abi::Workload::parse(programs.bundle.workload()));
    return programs;
}

ErrorOr<void> start_boot_programs(const BootPrograms& programs)
{
    SpawnContext context;
    context.workload = programs.bundle.workload();
    for (size_t i = 0; i < programs.bundle.endpoint_count(); ++i)
        context.endpoints[i] = TRY(create_endpoint());
    set_spawn_context(&programs.bundle, context);
    for (size_t i = 0; i < programs.bundle.program_count(); ++i) {
        if (programs.bundle.program(i).start_at_boot)
            TRY(spawn(programs.bundle.program(i), BundleOrigin::Module));
    }
    return {};
}

} // namespace ferros::kernel
