#include "store_server.h"
#include "arch/platform.h"
#include "console.h"
#include "ipc/endpoint.h"
#include "marker.h"
#include "panic.h"
#include "process/scheduler.h"
#include "process/spawn.h"
#include <ferros/abi/bundle.h>

extern "C" const uint8_t ferros_builtin_bundle[];
extern "C" const uint8_t ferros_builtin_bundle_end[];

namespace ferros::kernel {

namespace {

    constexpr char kSupervisorName[] = "supervisor";
    constexpr char kLiveName[] = "live";

    // Kept out of the stack, and alive as long as the server's program entry is used.
    abi::Bundle s_builtin;

    [[noreturn]] void server_failed(const char* what, int64_t status)
    {
        store_marker(abi::MarkerKind::Fault, kPanicMarkerPayload);
        kprintf("ferros: error: the store server %s (status %ld)\n", what, status);
        arch::exit_machine(abi::ExitValue::Fault);
    }

    // Whether a store server (a process with the device) waits in Receive on the store endpoint.
    const abi::BundleProgram& builtin_program(const char* name, size_t length)
    {
        const abi::BundleProgram* program
            = s_builtin.find(ReadonlyBytes(reinterpret_cast<const uint8_t*>(name), length));
        if (program == nullptr)
            panic("the built-in bundle has no %s", name);
        return *program;
    }

    bool store_server_serves(uint32_t endpoint_index)
    {
        for (size_t i = 0; i < kMaxProcesses; ++i) {
            const Process& p = process_table()[i];
            if (p.server && p.state == ProcessState::Blocked && p.blocked == BlockReason::Receive
                && p.block_object == endpoint_index)
                return true;
        }
        return false;
    }

} // namespace

void start_store_server(PhysicalRange window, storage::SeededBug bug)
{
    // The built-in bundle is part of the kernel image: its checksum would cost the path to
    // `ready` a CRC over every program in it (R9).
    ReadonlyBytes const builtin(
        ferros_builtin_bundle, static_cast<size_t>(ferros_builtin_bundle_end - ferros_builtin_bundle));
    auto parsed = abi::Bundle::parse(builtin, abi::Bundle::Checksum::Trusted);
    if (parsed.is_error())
        panic("the built-in bundle does not parse: %s", parsed.error().message());
    s_builtin = parsed.release_value();
    const abi::BundleProgram& supervisor = builtin_program(kSupervisorName, sizeof(kSupervisorName) - 1);

    auto created = create_endpoint();
    if (created.is_error())
        panic("no endpoint for the store");
    uint32_t const endpoint_index = created.value();
    pin_endpoint(endpoint_index);
    // The store server's recovery runs in user mode without a system call for longer the larger
    // the device: the watchdog's spin budget grows with it (abi::spin_budget_ticks).
    set_spin_budget(abi::spin_budget_ticks(window.size()));
    StoreService service;
    service.present = true;
    service.endpoint = endpoint_index;
    service.window = window;
    if (bug != storage::SeededBug::None) {
        const char* name = storage::seeded_bug_name(bug);
        service.server_args = ReadonlyBytes(reinterpret_cast<const uint8_t*>(name), __builtin_strlen(name));
    }
    set_store_service(service);

    // The supervisor starts the server (and starts it again if it dies); it holds a Receive
    // handle to the store endpoint, never to receive, but so that callers wait in its queue
    // while a server is being restarted instead of failing.
    set_builtin_bundle(&s_builtin);
    auto spawned = spawn(supervisor, BundleOrigin::Builtin);
    if (spawned.is_error())
        panic("the store's supervisor cannot start: %s", spawned.error().message());
    Process& keeper = *spawned.value();
    keeper.kernel_child = true;
    keeper.handles[abi::kStoreHandle] = HandleEntry { ObjectKind::Endpoint, endpoint_index, abi::RightReceive };
    endpoint_handle_added(endpoint_index, abi::RightReceive);
    run_processes();
    if (keeper.state == ProcessState::Exited) {
        int64_t const status = keeper.exit_status;
        // The server marked its verdict and printed why; the supervisor passed its status on.
        if (status == abi::kStoreExitMountFailed || status == abi::kStoreExitSelfCheckFailed)
            arch::exit_machine(abi::ExitValue::SelfCheckFailed);
        server_failed("never served: its supervisor ended", status);
    }
    if (!store_server_serves(endpoint_index))
        server_failed("does not serve, and its supervisor waits", 0);
}

void run_live_check()
{
    auto spawned = spawn(builtin_program(kLiveName, sizeof(kLiveName) - 1), BundleOrigin::Builtin);
    if (spawned.is_error())
        panic("the live checker cannot start: %s", spawned.error().message());
    Process& checker = *spawned.value();
    checker.kernel_child = true;
    // Granted the store like any client (Read and Write); the right to StoreLive is the kernel's
    // to add.
    checker.handles[abi::kStoreHandle].rights |= abi::RightRecovery;
    run_processes();
    if (checker.state != ProcessState::Exited)
        server_failed("never answered the continuation", 0);
    if (checker.exit_status != 0)
        arch::exit_machine(abi::ExitValue::LiveFailed);
    arch::exit_machine(abi::ExitValue::Ready);
}

} // namespace ferros::kernel
