#pragma once
// The firmware's hand-off to the kernel, captured once so that a reboot worker can start the
// kernel again and again without running the firmware (simulator/qemu/reboot_worker.h): the
// PVH start info that EBX holds at the kernel's first instruction, and what it points to (the
// memory map and the command line). The plugin writes it (argument handoff_out); the worker
// reads it. docs/plugin.md gives the file's format.

#include <cstdint>
#include <ferros/base/failure.h>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ferros::plugin {

struct HandoffRegion {
    uint64_t address { 0 }; // guest-physical
    std::vector<uint8_t> bytes;
};

struct Handoff {
    uint64_t start_info { 0 }; // EBX at the kernel's entry
    // The boundary at which the kernel's first instruction starts in a fresh run (the
    // firmware's instructions before it): a worker counts its boundaries from there.
    uint64_t entry_boundary { 0 };
    // The start info first, then the memory map, then the command line (with its NUL).
    std::vector<HandoffRegion> regions;
};

// Reads `length` bytes of guest memory at `address` into `out`; false if they are not all
// readable.
using ReadGuest = std::function<bool(uint64_t address, size_t length, uint8_t* out)>;

// Follows the PVH start info at `start_info` (Xen's public/arch-x86/hvm/start_info.h).
// Errors: BadFormat (no PVH magic, version 0, a memory map beyond 128 entries, an unreadable
// region, a command line without a NUL within 4 KiB), Unsupported (modules: a reboot worker
// boots without an initrd, so it has none to carry).
Result<Handoff> collect_handoff(uint64_t start_info, const ReadGuest& read);

// The text form: "ferros-handoff 2", "start_info ADDR", "entry_boundary N", then one
// "region ADDR HEX" a line.
std::string format_handoff(const Handoff& handoff);
// Errors: BadFormat (anything but the text form above, or no region at start_info).
Result<Handoff> parse_handoff(std::string_view text);

} // namespace ferros::plugin
