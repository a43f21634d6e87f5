#pragma once
// A machine description: everything that decides how the simulated phone is started. It is
// turned into QEMU's argv in exactly one place (qemu_argv), so that no other code spells a
// QEMU flag. docs/machine.md describes the machine; DESIGN.md section 3 is its contract.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferros::machine {

// The SSD: a window of guest RAM, filled from an image file at power-on.
struct SsdWindow {
    uint64_t base { 0x0400'0000 }; // 64 MiB: above the kernel, the marker and control pages
    uint64_t size { 0 }; // bytes; the image file's size
};

// The power-cut plugin's configuration; empty optionals are left out of its arguments.
struct PluginConfig {
    std::string path; // libferros_plugin.so
    std::optional<std::string> image_out; // durable image written at power-off, cut or interrupt
    std::optional<std::string> policy; // crash policy text (docs/crash-model.md)
    std::optional<uint64_t> state; // which allowed state a cut leaves
    std::optional<uint64_t> seed;
    std::optional<uint64_t> cut_at;
    std::optional<std::string> cut_marker;
    std::optional<uint64_t> max_insns;
    std::optional<std::string> trace;
    std::optional<std::string> events;
    // A reboot worker's capture run: at the kernel's entry, write the firmware's hand-off
    // here and end the run (ferros/plugin/handoff.h).
    std::optional<uint64_t> handoff_at;
    std::optional<std::string> handoff_out;
    // A reboot worker: its checks begin at the kernel's entry (entry_at), which comes at
    // entry_boundary in a fresh run; with `trace`, one trace per check (docs/plugin.md).
    std::optional<uint64_t> entry_at;
    std::optional<uint64_t> entry_boundary;
};

// A reboot worker's machine (simulator/qemu/reboot_worker.h): QEMU stays up and checks crash
// state after crash state. Its RAM is a file the host maps, so that the host can write each
// state's image into the SSD window, and the kernel's segments, before it resets the machine
// over QMP. The kernel is not given to QEMU (no -kernel, no -append): `firmware` jumps to it.
struct WorkerMode {
    std::string ram_file; // guest RAM: this file, shared with the host
    std::string qmp_socket; // QMP on this UNIX socket
    std::string firmware; // the worker's 64 KiB firmware image, in place of qboot
};

struct Machine {
    std::string qemu { "qemu-system-x86_64" };
    std::string kernel; // ELF64 with a PVH note
    uint64_t ram_bytes { 128ull << 20 }; // guest RAM
    std::optional<std::string> workload; // reaches the kernel as the PVH module (initrd)
    std::optional<std::string> ssd_image;
    SsdWindow ssd;
    std::vector<std::string> kernel_args; // extra `ferros.*` command-line tokens
    std::optional<PluginConfig> plugin;
    // Stop at the first instruction with QEMU's gdbstub on this TCP port (ferros repro --gdb).
    std::optional<uint16_t> gdb_port;
    // Set for a reboot worker: no SSD image loader (the host fills the window), no exit device
    // (the plugin reports exits as events), no -no-reboot (resets are how states change).
    std::optional<WorkerMode> worker;
};

// Checks what the machine needs before QEMU is started: files exist and are readable, the
// image's size suits the window, the window lies in RAM above the fixed pages. Returns a
// message for the first problem, or nothing.
std::optional<std::string> validate(const Machine& machine);

// The kernel command line the machine implies (`ferros.ssd=...` first, then kernel_args).
std::string kernel_command_line(const Machine& machine);

// QEMU's argv, program name first. Deterministic: the same machine gives the same argv.
std::vector<std::string> qemu_argv(const Machine& machine);

// One line naming the machine, for trace headers and reports (stable across runs).
std::string describe(const Machine& machine);

// The largest SSD window a machine of `ram_bytes` can hold at the default base.
uint64_t max_ssd_size(uint64_t ram_bytes);

} // namespace ferros::machine
