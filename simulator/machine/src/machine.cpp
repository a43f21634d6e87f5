#include <ferros/abi/machine.h>
#include <ferros/machine/machine.h>
#include <ferros/machine/plugin_args.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ferros::machine {

namespace {

    std::optional<std::string> check_readable(const std::string& what, const std::string& path)
    {
        struct stat st { };
        if (::stat(path.c_str(), &st) != 0)
            return fmt::format("{} '{}' does not exist", what, path);
        if (!S_ISREG(st.st_mode))
            return fmt::format("{} '{}' is not a regular file", what, path);
        if (::access(path.c_str(), R_OK) != 0)
            return fmt::format("{} '{}' is not readable", what, path);
        return std::nullopt;
    }

    std::string hex(uint64_t value) { return fmt::format("{:#x}", value); }

} // namespace

uint64_t max_ssd_size(uint64_t ram_bytes)
{
    SsdWindow defaults;
    return ram_bytes > defaults.base ? ram_bytes - defaults.base : 0;
}

std::optional<std::string> validate(const Machine& machine)
{
    if (auto problem = check_readable("kernel", machine.kernel))
        return problem;
    if (machine.workload) {
        if (auto problem = check_readable("workload", *machine.workload))
            return problem;
    }
    if (machine.ram_bytes < (32ull << 20) || machine.ram_bytes % (1ull << 20) != 0)
        return fmt::format("RAM size {} is not a whole number of MiB of at least 32 MiB", machine.ram_bytes);
    auto const& ssd = machine.ssd;
    if (ssd.base % abi::kPageSize != 0 || ssd.size % abi::kPageSize != 0)
        return fmt::format("SSD window {}+{} is not 4 KiB-aligned", hex(ssd.base), hex(ssd.size));
    if (ssd.base < abi::kSsdMinBase)
        return fmt::format(
            "SSD window base {} lies below {} (kernel and fixed pages)", hex(ssd.base), hex(abi::kSsdMinBase));
    if (ssd.size == 0 && machine.ssd_image)
        return fmt::format("SSD image '{}' is empty", *machine.ssd_image);
    if (ssd.base + ssd.size > machine.ram_bytes || ssd.base + ssd.size < ssd.base)
        return fmt::format(
            "SSD window {}+{} lies outside RAM (0..{})", hex(ssd.base), hex(ssd.size), hex(machine.ram_bytes));
    if (machine.ssd_image) {
        if (auto problem = check_readable("SSD image", *machine.ssd_image))
            return problem;
    }
    // QEMU splits -device and -plugin options at commas; a path with one cannot be carried.
    for (auto const* path : { &machine.kernel, machine.workload ? &*machine.workload : nullptr,
             machine.ssd_image ? &*machine.ssd_image : nullptr }) {
        if (path && path->find(',') != std::string::npos)
            return fmt::format("path '{}' contains a comma, which QEMU's option syntax cannot carry", *path);
    }
    return std::nullopt;
}

std::string kernel_command_line(const Machine& machine)
{
    std::string line;
    if (machine.ssd_image || machine.worker)
        line = fmt::format("ferros.ssd={},{}", hex(machine.ssd.base), hex(machine.ssd.size));
    for (auto const& arg : machine.kernel_args) {
        if (!line.empty())
            line += ' ';
        line += arg;
    }
    return line;
}

std::vector<std::string> qemu_argv(const Machine& machine)
{
    std::vector<std::string> argv {
        machine.qemu,
        // microvm: no PCI, a PVH boot; the smallest machine QEMU has. acpi=off makes it boot
        // through qboot instead of SeaBIOS: ~22 k instructions before the kernel's first
        // instead of ~5.95 M (the kernel reads no ACPI table; its memory map comes with PVH).
        "-M",
        machine.worker ? "microvm,acpi=off,memory-backend=ram" : "microvm,acpi=off",
        // One explicit CPU model so that CPUID (and with it the kernel's path) never depends
        // on the host or a QEMU default; qemu64 is what TCG implements most faithfully. SMEP
        // and SMAP (which TCG implements) harden the user/kernel boundary: the kernel can
        // neither run nor silently touch user pages. NX is part of qemu64 already.
        "-cpu",
        "qemu64,+smep,+smap",
        "-smp",
        "1",
        "-m",
        fmt::format("{}M", machine.ram_bytes >> 20),
        // TCG with icount, no sleeping and no alignment to host time: one instruction is one
        // nanosecond of virtual time, and the instruction stream is deterministic.
        "-accel",
        "tcg",
        "-icount",
        "shift=0,sleep=off,align=off",
        "-rtc",
        "clock=vm",
        "-display",
        "none",
        "-net",
        "none",
        "-nodefaults",
        // The console: COM1 on our stdout.
        "-serial",
        "stdio",
    };
    if (machine.worker) {
        // Not -kernel: QEMU would copy the kernel into RAM again at every reset, discarding
        // its translated code. The host places the kernel; the worker's firmware jumps to it.
        argv.push_back("-bios");
        argv.push_back(machine.worker->firmware);
    } else {
        argv.push_back("-kernel");
        argv.push_back(machine.kernel);
    }
    if (machine.worker) {
        // Guest RAM in a file the host maps and writes (share=on: its writes are the guest's).
        argv.push_back("-object");
        argv.push_back(fmt::format("memory-backend-file,id=ram,size={}M,mem-path={},share=on", machine.ram_bytes >> 20,
            machine.worker->ram_file));
        // The host drives the machine: stop, system_reset, cont. Start paused until then.
        argv.push_back("-qmp");
        argv.push_back(fmt::format("unix:{},server=on,wait=off", machine.worker->qmp_socket));
        argv.push_back("-S");
    } else {
        // A reset request ends the run (a triple fault is a failure, not a reboot).
        argv.push_back("-no-reboot");
        // Verdicts: a write of V to port 0xf4 exits QEMU with (V << 1) | 1. A worker has no
        // such device: the plugin reports the write as an event and the guest halts.
        argv.push_back("-device");
        argv.push_back(fmt::format("isa-debug-exit,iobase={:#x},iosize=0x04", abi::kDebugExitPort));
    }
    auto command_line = kernel_command_line(machine);
    // A worker's kernel gets its command line from the captured hand-off instead.
    if (!command_line.empty() && !machine.worker) {
        argv.push_back("-append");
        argv.push_back(command_line);
    }
    if (machine.workload) {
        argv.push_back("-initrd");
        argv.push_back(*machine.workload);
    }
    if (machine.ssd_image) {
        // The loader fills the window at power-on; force-raw stops QEMU from parsing an image
        // that happens to look like an ELF or uImage.
        argv.push_back("-device");
        argv.push_back(fmt::format("loader,file={},addr={},force-raw=on", *machine.ssd_image, hex(machine.ssd.base)));
    }
    if (machine.plugin) {
        auto const& p = *machine.plugin;
        namespace a = plugin_args;
        std::string spec = p.path;
        auto add = [&](const char* key, const std::string& value) { spec += fmt::format(",{}={}", key, value); };
        // A worker's window holds what the host writes before each check: it is modelled
        // (for its traces) but has no image_in.
        if (machine.ssd_image || (machine.worker && p.trace)) {
            add(a::kSsdBase, hex(machine.ssd.base));
            add(a::kSsdSize, hex(machine.ssd.size));
        }
        if (machine.ssd_image)
            add(a::kImageIn, *machine.ssd_image);
        if (p.image_out)
            add(a::kImageOut, *p.image_out);
        if (p.policy)
            add(a::kPolicy, *p.policy);
        if (p.state)
            add(a::kState, std::to_string(*p.state));
        if (p.seed)
            add(a::kSeed, std::to_string(*p.seed));
        if (p.cut_at)
            add(a::kCutAt, std::to_string(*p.cut_at));
        if (p.cut_marker)
            add(a::kCutMarker, *p.cut_marker);
        if (p.max_insns)
            add(a::kMaxInsns, std::to_string(*p.max_insns));
        if (p.trace)
            add(a::kTrace, *p.trace);
        if (p.events)
            add(a::kEvents, *p.events);
        if (p.handoff_at)
            add(a::kHandoffAt, hex(*p.handoff_at));
        if (p.handoff_out)
            add(a::kHandoffOut, *p.handoff_out);
        if (p.entry_at)
            add(a::kEntryAt, hex(*p.entry_at));
        if (p.entry_boundary)
            add(a::kEntryBoundary, std::to_string(*p.entry_boundary));
        add(a::kKernel, machine.kernel);
        add(a::kMachine, describe(machine));
        if (machine.workload)
            add(a::kWorkload, *machine.workload);
        if (machine.worker)
            add(a::kWorker, "on");
        argv.push_back("-plugin");
        argv.push_back(spec);
    }
    if (machine.gdb_port) {
        argv.push_back("-gdb");
        argv.push_back(fmt::format("tcp:127.0.0.1:{}", *machine.gdb_port));
        argv.push_back("-S");
    }
    return argv;
}

std::string describe(const Machine& machine)
{
    // No commas: the text travels inside QEMU's comma-separated -plugin option.
    auto text = fmt::format("microvm acpi=off cpu=qemu64+smep+smap smp=1 ram={}M icount=shift=0 ssd={}+{} cmdline={}",
        machine.ram_bytes >> 20, hex(machine.ssd.base), hex(machine.ssd.size), kernel_command_line(machine));
    for (auto& c : text) {
        if (c == ',')
            c = ';';
    }
    return text;
}

} // namespace ferros::machine
