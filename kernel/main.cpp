// The boot sequence: one function, in stage order, so that the order of boot stages can be
// read off the code. Every check on outside input (start info, command line) comes before the
// stage that depends on it, and a refusal is an exit with ExitValue::BadCommandLine, never a
// fault.

#include "main.h"
#include "arch/platform.h"
#include "boot_bundle.h"
#include "boot_stage.h"
#include "command_line.h"
#include "console.h"
#include "marker.h"
#include "memory_map.h"
#include "process/injection.h"
#include "process/scheduler.h"
#include "ssd_window.h"
#include "store_server.h"
#include "workload.h"

namespace ferros::kernel {

namespace {

    using abi::BootStage;

    // Kept out of the stack: the memory map is about a kilobyte and lives for the whole run.
    BootInfo s_boot_info;

    const char* reason(const Error& error) { return error.context() != nullptr ? error.context() : error.message(); }

    [[noreturn]] void refuse_start_info(const Error& error)
    {
        kprintf("ferros: error: bad PVH start info: %s\n", reason(error));
        arch::exit_machine(abi::ExitValue::BadCommandLine);
    }

    [[noreturn]] void refuse_command_line(StringView token, const Error& error)
    {
        kprintf("ferros: error: bad command line: %.*s\n", static_cast<int>(token.length()), token.characters());
        kprintf("ferros: error: reason: %s\n", reason(error));
        arch::exit_machine(abi::ExitValue::BadCommandLine);
    }

    void print_memory_map(const MemoryMap& map)
    {
        for (size_t i = 0; i < map.region_count(); ++i) {
            const auto& region = map.region(i);
            kprintf("ferros: memory 0x%016lx-0x%016lx %s\n", region.range.base().value(), region.range.end(),
                region.type == RegionType::Ram ? "ram" : "reserved");
        }
    }

    void print_reservations(const MemoryMap& map)
    {
        for (size_t i = 0; i < map.reservation_count(); ++i) {
            const auto& reservation = map.reservation(i);
            kprintf("ferros: reserved 0x%016lx-0x%016lx %s\n", reservation.range.base().value(),
                reservation.range.end(), owner_name(reservation.owner));
        }
    }

    // Reserves the fixed users of memory, each checked against the firmware's map and the others,
    // and returns the SSD window (empty without ferros.ssd=).
    PhysicalRange reserve_memory(const CommandLine& command_line)
    {
        MemoryMap& memory_map = s_boot_info.memory_map;
        print_memory_map(memory_map);
        if (auto result = memory_map.reserve(arch::kernel_image(), Owner::KernelImage); result.is_error())
            refuse_start_info(Error(result.error().code(), "the kernel image is not in free RAM"));
        PhysicalRange machine_pages(
            PhysicalAddress(abi::kMarkerPage), abi::kControlPage + abi::kPageSize - abi::kMarkerPage);
        if (auto result = memory_map.reserve(machine_pages, Owner::MachinePages); result.is_error())
            refuse_start_info(Error(result.error().code(), "the marker and control pages are not in free RAM"));
        if (s_boot_info.module_count > 0) {
            auto result = memory_map.reserve(s_boot_info.module, Owner::Workload, Placement::LoaderChosen);
            if (result.is_error())
                refuse_start_info(Error(result.error().code(), "the workload module overlaps the kernel"));
        }
        if (!command_line.has_ssd())
            return {};
        auto window = reserve_ssd_window(command_line.ssd(), memory_map);
        if (window.is_error())
            refuse_command_line(command_line.ssd().token, window.error());
        return window.release_value();
    }

    // Kept out of the stack: the bundle's program table lives as long as its processes.
    BootPrograms s_boot_programs;

    // The module (a bundle, or a workload for the built-in bundle) is decoded after `ready`,
    // not before: decoding checks every byte, and the path to `ready` must not grow with the
    // module's size (R9).
    void decode_module(ReadonlyBytes bytes)
    {
        auto programs = decode_boot_module(bytes);
        if (programs.is_error()) {
            kprintf("ferros: error: bad workload: %s\n", reason(programs.error()));
            arch::exit_machine(abi::ExitValue::BadCommandLine);
        }
        s_boot_programs = programs.release_value();
    }

    // The programs run in user mode until every one has exited; the workload runner among them
    // prints the summary line.
    void run_boot_programs()
    {
        if (auto started = start_boot_programs(s_boot_programs); started.is_error()) {
            kprintf("ferros: error: bad workload: a program cannot start: %s\n", reason(started.error()));
            arch::exit_machine(abi::ExitValue::BadCommandLine);
        }
        size_t const blocked = run_processes();
        if (blocked > 0)
            kprintf("ferros: error: %zu processes blocked forever\n", blocked);
        // An injection whose N lay beyond its target's run: say how far the target got, which
        // is how `ferros faults` learns the range of N.
        if (InjectionStatus const injection = injection_status(); injection.planned && !injection.fired)
            kprintf("ferros: inject: did not fire: process %u (%s) retired %lu user instructions\n", injection.pid,
                injection.name, injection.steps);
        pass_stage(BootStage::WorkloadDone);
    }

} // namespace

void kernel_main(const BootTimestamps& timestamps, uintptr_t boot_handle)
{
    // Both markers are stored here, in the first C++ code: the 32-bit PVH entry only records
    // the firmware-handoff timestamp, because in 32-bit mode there is no single aligned
    // 8-byte general-purpose store the plugin could take as one marker.
    announce_stage(BootStage::FirmwareHandoff, timestamps.firmware_handoff);
    announce_stage(BootStage::KernelEntry, timestamps.kernel_entry);
    // Until here an exception would still be a triple fault (QEMU exits with status 0 under
    // -no-reboot); the code before is the same on every boot, so a bug in it cannot hide.
    arch::init_cpu();

    // Validate all outside input before acting on any of it.
    auto boot_info = arch::read_boot_info(boot_handle);
    if (boot_info.is_error())
        refuse_start_info(boot_info.error());
    s_boot_info = boot_info.release_value();

    StringView bad_token;
    auto parsed = CommandLine::try_parse(s_boot_info.command_line, &bad_token);
    if (parsed.is_error())
        refuse_command_line(bad_token, parsed.error());
    const CommandLine command_line = parsed.release_value();

    PhysicalRange ssd_window = reserve_memory(command_line);
    print_reservations(s_boot_info.memory_map);
    pass_stage(BootStage::MemoryUp);

    arch::init_interrupts();
    pass_stage(BootStage::InterruptsUp);

    if (command_line.fault() != InjectedFault::None)
        arch::trigger_fault(command_line.fault());
    if (command_line.has_injection())
        set_injection(command_line.injection());

    if (command_line.has_ssd()) {
        kprintf("ferros: ssd base=0x%lx size=0x%lx\n", ssd_window.base().value(), ssd_window.size());
        pass_stage(BootStage::SsdFound);
    }

    const bool has_workload = s_boot_info.module_count > 0;
    const Workload module = has_workload ? Workload::locate(s_boot_info.module) : Workload();
    if (has_workload) {
        module.report();
        pass_stage(BootStage::WorkloadFound);
    }

    // The store server's start-up is the recovery: it mounts (or formats) and self-checks the
    // store, and `ready` follows once it serves.
    if (command_line.has_ssd())
        start_store_server(ssd_window, command_line.bug());

    pass_stage(BootStage::Ready);
    if (command_line.until() == Until::Live)
        run_live_check();
    if (has_workload)
        decode_module(module.bytes());
    if (command_line.until() == Until::Ready)
        arch::exit_machine(abi::ExitValue::Ready);

    if (has_workload)
        run_boot_programs();
    pass_stage(BootStage::Poweroff);
    arch::exit_machine(abi::ExitValue::Poweroff);
}

} // namespace ferros::kernel
