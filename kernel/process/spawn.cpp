#include "process/spawn.h"
#include "arch/platform.h"
#include "ipc/endpoint.h"
#include "memory/page_pool.h"
#include "process/elf_loader.h"
#include "process/injection.h"

namespace ferros::kernel {

namespace {

    const abi::Bundle* s_bundle = nullptr;
    const abi::Bundle* s_builtin = nullptr;
    // The live store server, if any: the device is lent to one process at a time.
    uint32_t s_store_server = 0;
    SpawnContext s_context;
    StoreService s_store;

    ErrorOr<void> map_arguments(AddressSpace& space, ReadonlyBytes args)
    {
        PhysicalAddress page = TRY(space.map_new(abi::kUserArgs, PageAccess::ReadOnly));
        if (!args.empty())
            __builtin_memcpy(page_pointer(page), args.data(), args.size());
        return {};
    }

    ErrorOr<void> map_stack(AddressSpace& space)
    {
        return space.map_new_range(
            abi::kUserStackTop - abi::kUserStackSize, abi::kUserStackSize / kPageSize, PageAccess::ReadWrite);
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

    // The SSD window and the control page, borrowed: the device is the kernel's to lend, to the
    // store server alone (the plugin sees the stores by their physical address, whoever makes them).
    ErrorOr<void> map_device(AddressSpace& space)
    {
        if (s_store.window.size() > abi::kUserDeviceEnd - abi::kUserDevice)
            return Error(ErrorCode::TooBig, "the SSD window does not fit the device range");
        for (uint64_t offset = 0; offset < s_store.window.size(); offset += kPageSize)
            TRY(space.map(abi::kUserDevice + offset, PhysicalAddress(s_store.window.base().value() + offset),
                PageAccess::ReadWrite, PageOwnership::Borrowed));
        TRY(space.map(
            abi::kUserDoorbell, PhysicalAddress(abi::kControlPage), PageAccess::ReadWrite, PageOwnership::Borrowed));
        return {};
    }

    ErrorOr<void> install_grants(Process& process, const abi::BundleProgram& program, BundleOrigin origin)
    {
        auto grant = [&](uint32_t bit, abi::Handle handle, ObjectKind kind, uint32_t rights) {
            if (program.grants & bit)
                process.handles[handle] = HandleEntry { kind, 0, rights };
        };
        grant(abi::GrantConsole, abi::kConsoleHandle, ObjectKind::Console, abi::RightWrite);
        grant(abi::GrantMarkers, abi::kMarkersHandle, ObjectKind::Markers, abi::RightWrite);
        if (program.grants & abi::GrantSpawn)
            process.handles[abi::kBundleHandle]
                = HandleEntry { ObjectKind::Bundle, static_cast<uint32_t>(origin), abi::RightSpawn };
        if (program.grants & abi::GrantStore) {
            uint32_t const object = s_store.present ? s_store.endpoint : kNoStore;
            process.handles[abi::kStoreHandle]
                = HandleEntry { ObjectKind::Store, object, abi::RightRead | abi::RightWrite };
            if (s_store.present)
                endpoint_handle_added(s_store.endpoint, abi::RightSend);
        }
        if (program.grants & abi::GrantDevice) {
            process.handles[abi::kStoreHandle]
                = HandleEntry { ObjectKind::Endpoint, s_store.endpoint, abi::RightReceive };
            endpoint_handle_added(s_store.endpoint, abi::RightReceive);
            uint32_t const rights = abi::RightRecovery
                | ((program.grants & abi::GrantMarkers) ? static_cast<uint32_t>(abi::RightWrite) : 0u);
            process.handles[abi::kMarkersHandle] = HandleEntry { ObjectKind::Markers, 0, rights };
            process.server = true;
        }
        if (program.grants & abi::GrantSupervise) {
            uint32_t const rights = abi::RightRecovery
                | ((program.grants & abi::GrantMarkers) ? static_cast<uint32_t>(abi::RightWrite) : 0u);
            process.handles[abi::kMarkersHandle] = HandleEntry { ObjectKind::Markers, 0, rights };
        }
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
        // The store server's arguments are the kernel's: the seeded bug its command line names.
        ReadonlyBytes const args = (program.grants & abi::GrantDevice) ? s_store.server_args : program.args;
        TRY(map_arguments(process.space, args));
        TRY(map_stack(process.space));
        start.stack = abi::kUserStackTop;
        start.arguments[0] = abi::kUserArgs;
        start.arguments[1] = args.size();
        if ((program.grants & abi::GrantWorkload) && !s_context.workload.empty()) {
            start.arguments[2] = TRY(map_workload(process.space, s_context.workload));
            start.arguments[3] = s_context.workload.size();
        }
        if (program.grants & abi::GrantDevice) {
            TRY(map_device(process.space));
            start.arguments[2] = abi::kUserDevice;
            start.arguments[3] = s_store.window.size();
        }
        return start;
    }

} // namespace

void set_spawn_context(const abi::Bundle* bundle, const SpawnContext& context)
{
    s_bundle = bundle;
    s_context = context;
}

void set_builtin_bundle(const abi::Bundle* bundle) { s_builtin = bundle; }

const abi::Bundle* spawn_bundle(BundleOrigin origin)
{
    return origin == BundleOrigin::Builtin ? s_builtin : origin == BundleOrigin::Module ? s_bundle : nullptr;
}

void set_store_service(const StoreService& service) { s_store = service; }

ErrorOr<Process*> spawn(const abi::BundleProgram& program, BundleOrigin origin)
{
    if (program.grants & abi::GrantDevice) {
        if (!s_store.present)
            return Error(ErrorCode::Unsupported, "the device grant on a machine without an SSD");
        Process const* serving = s_store_server != 0 ? find_process(s_store_server) : nullptr;
        if (serving != nullptr && serving->state != ProcessState::Exited)
            return Error(ErrorCode::Busy, "a store server already serves");
    }
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
    TRY(install_grants(*process, program, origin));
    if (program.grants & abi::GrantDevice)
        s_store_server = process->pid;
    arch::UserStart user_start = start.value();
    user_start.single_step = injection_target(*process);
    process->saved_rsp = arch::prepare_user_start(process->kernel_stack_top, user_start);
    process->state = ProcessState::Runnable;
    return process;
}

} // namespace ferros::kernel
