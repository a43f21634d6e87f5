#include "process/spawn.h"
#include "arch/platform.h"
#include "ipc/endpoint.h"
#include "memory/page_pool.h"
#include "process/elf_loader.h"

namespace ferros::kernel {

namespace {

    const abi::Bundle* s_bundle = nullptr;
    SpawnContext s_context;

    ErrorOr<void> map_arguments(AddressSpace& space, ReadonlyBytes args)
    {
        PhysicalAddress page = TRY(space.map_new(abi::kUserArgs, PageAccess::ReadOnly));
        if (!args.empty())
            __builtin_memcpy(page_pointer(page), args.data(), args.size());
        return {};
    }

    ErrorOr<void> map_stack(AddressSpace& space)
    {
        for (uint64_t page = abi::kUserStackTop - abi::kUserStackSize; page < abi::kUserStackTop; page += kPageSize)
            TRY(space.map_new(page, PageAccess::ReadWrite));
        return {};
    }

    // The workload's own pages, read-only and borrowed: the kernel keeps owning them.
    ErrorOr<uint64_t> map_workload(AddressSpace& space, ReadonlyBytes workload)
    {
        auto const physical = reinterpret_cast<uint64_t>(workload.data());
        uint64_t const first = physical & ~(kPageSize - 1);
        uint64_t const end = physical + workload.size();
        if (workload.size() > abi::kUserWorkloadEnd - abi::kUserWorkload - kPageSize)
            return Error(ErrorCode::TooBig, "the workload does not fit its window");
        for (uint64_t page = first; page < end; page += kPageSize)
            TRY(space.map(abi::kUserWorkload + (page - first), PhysicalAddress(page), PageAccess::ReadOnly,
                PageOwnership::Borrowed));
        return abi::kUserWorkload + (physical - first);
    }

    ErrorOr<void> install_grants(Process& process, const abi::BundleProgram& program)
    {
        auto grant = [&](uint32_t bit, abi::Handle handle, ObjectKind kind, uint32_t rights) {
            if (program.grants & bit)
                process.handles[handle] = HandleEntry { kind, 0, rights };
        };
        grant(abi::GrantConsole, abi::kConsoleHandle, ObjectKind::Console, abi::RightWrite);
        grant(abi::GrantStore, abi::kStoreHandle, ObjectKind::Store, abi::RightRead | abi::RightWrite);
        grant(abi::GrantMarkers, abi::kMarkersHandle, ObjectKind::Markers, abi::RightWrite);
        grant(abi::GrantSpawn, abi::kBundleHandle, ObjectKind::Bundle, abi::RightSpawn);
        for (uint32_t i = 0; i < abi::kMaxBundleEndpoints; ++i) {
            uint32_t rights = 0;
            if (program.send_endpoints & (1u << i))
                rights |= abi::RightSend;
            if (program.receive_endpoints & (1u << i))
                rights |= abi::RightReceive;
            if (rights == 0)
                continue;
            process.handles[abi::kFirstEndpointHandle + i]
                = HandleEntry { ObjectKind::Endpoint, s_context.endpoints[i], rights };
            endpoint_handle_added(s_context.endpoints[i], rights);
        }
        return {};
    }

    ErrorOr<arch::UserStart> build(Process& process, const abi::BundleProgram& program)
    {
        process.space = TRY(AddressSpace::try_create());
        arch::UserStart start;
        start.entry = TRY(load_elf(program.image, process.space));
        TRY(map_arguments(process.space, program.args));
        TRY(map_stack(process.space));
        start.stack = abi::kUserStackTop;
        start.arguments[0] = abi::kUserArgs;
        start.arguments[1] = program.args.size();
        if ((program.grants & abi::GrantWorkload) && !s_context.workload.empty()) {
            start.arguments[2] = TRY(map_workload(process.space, s_context.workload));
            start.arguments[3] = s_context.workload.size();
        }
        return start;
    }

} // namespace

void set_spawn_context(const abi::Bundle* bundle, const SpawnContext& context)
{
    s_bundle = bundle;
    s_context = context;
}

const abi::Bundle* spawn_bundle() { return s_bundle; }

ErrorOr<Process*> spawn(const abi::BundleProgram& program)
{
    Process* process = allocate_process();
    if (process == nullptr)
        return Error(ErrorCode::NoMemory, "every process slot is in use");
    __builtin_memcpy(process->name, program.name, sizeof(process->name));
    auto start = build(*process, program);
    if (start.is_error()) {
        if (process->space.is_valid())
            process->space.release();
        process->state = ProcessState::Free;
        return start.release_error();
    }
    TRY(install_grants(*process, program));
    process->saved_rsp = arch::prepare_user_start(process->kernel_stack_top, start.value());
    process->state = ProcessState::Runnable;
    return process;
}

} // namespace ferros::kernel
