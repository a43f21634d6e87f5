#pragma once
// The simulated phone's contract between the guest (kernel), the plugin (device model) and
// the host tools. docs/machine.md explains it; this header is its one source of truth.

#include <stdint.h>

namespace ferros::abi {

// Guest-physical pages with a fixed place. Both lie in RAM (QEMU's plugin API cannot add
// MMIO devices); the plugin watches stores to them.
//   Marker page: the guest reports events by one aligned 8-byte store of a MarkerWord.
//   Control page: the SSD's register page; a store to kControlFlush is a FLUSH doorbell.
constexpr uint64_t kMarkerPage = 0x00ff'e000;
constexpr uint64_t kControlPage = 0x00ff'f000;
constexpr uint64_t kControlFlush = kControlPage + 0x00;
// The guest may not place anything but the kernel image below this address.
constexpr uint64_t kPageSize = 0x1000;

// The kernel command line names the SSD window: `ferros.ssd=BASE,SIZE` (hex or decimal).
// BASE and SIZE must be 4 KiB-aligned and the window must lie inside RAM above 16 MiB.
constexpr uint64_t kSsdMinBase = 0x0100'0000;

// isa-debug-exit: a write of V to port kDebugExitPort makes QEMU exit with status (V << 1) | 1.
constexpr uint16_t kDebugExitPort = 0xf4;

enum class ExitValue : uint8_t {
    Ready = 0x10, // --until ready: the kernel reached `ready` (--until live: and the continuation passed)
    Poweroff = 0x11, // the workload ran and the kernel powered off cleanly
    Fault = 0x20, // a CPU exception or kernel panic; a report precedes it on serial
    SelfCheckFailed = 0x21, // the kernel's own invariant self-check failed after recovery
    BadCommandLine = 0x22, // the command line or PVH start info was unusable
    LiveFailed = 0x23, // --until live: the continuation after recovery failed (R14)
};

// The exit status QEMU reports for `value`.
constexpr int qemu_exit_status(ExitValue value) { return (static_cast<int>(value) << 1) | 1; }

// The plugin ends QEMU with these statuses (they cannot collide with (V << 1) | 1, being even).
constexpr int kPluginExitCut = 100; // power was cut at the requested boundary
constexpr int kPluginExitMaxInsns = 102; // --max-insns reached before the requested point
constexpr int kPluginExitBadArgs = 104; // the plugin refused its arguments
constexpr int kPluginExitHandoff = 106; // the firmware's hand-off was captured (handoff_out)

// A marker word: kind in bits 63..56, payload in bits 55..0.
enum class MarkerKind : uint8_t {
    Stage = 1, // payload: BootStage id
    OpSubmitted = 2, // payload: workload operation index
    OpDurable = 3, // payload: index of the last operation now acknowledged durable
    Verdict = 4, // payload: 0 = self-check passed, else the failed invariant number (1..14)
    Fault = 5, // payload: CPU exception vector, or 0xff for a panic
    OpFailed = 6, // payload: index of the operation whose system call returned an error
    ProcessFault = 7, // payload: (pid << 8) | vector of a CPU exception that killed a user process
    ServerRestarted = 8, // payload: the restart's number (1, 2, ...): the supervisor started a server again
    ServerGaveUp = 9, // payload: how many times the supervisor started the server before it gave up
    FaultInjected = 10, // payload: (pid << 8) | kind (0 kill, 1 flip, 2 corrupt, 3 hang): ferros.inject fired
    GetAnswered = 11, // payload: get_answer_payload of what the last submitted get returned (the runner)
};

// The highest invariant a Verdict marker may name: R14, the continuation after recovery
// (storage/check/include/ferros/check/invariants.def holds the table).
constexpr uint64_t kLastVerdictInvariant = 14;

// What a get returned, as the runner reports it so that the host can judge the answer: the
// value's length and the CRC32C of its bytes, or kGetAnswerAbsent for NotFound (a length never
// exceeds 64 KiB, so bit 55 is free).
constexpr uint64_t kGetAnswerAbsent = 1ull << 55;
constexpr uint64_t get_answer_payload(uint64_t length, uint32_t crc) { return (length << 32) | crc; }

constexpr uint64_t marker_word(MarkerKind kind, uint64_t payload)
{
    return (static_cast<uint64_t>(kind) << 56) | (payload & 0x00ff'ffff'ffff'ffffULL);
}
constexpr MarkerKind marker_kind(uint64_t word) { return static_cast<MarkerKind>(word >> 56); }
constexpr uint64_t marker_payload(uint64_t word) { return word & 0x00ff'ffff'ffff'ffffULL; }

enum class BootStage : uint8_t {
#define FERROS_STAGE(name, id, text) name = id,
#include <ferros/abi/boot_stages.def>
#undef FERROS_STAGE
};

constexpr const char* boot_stage_text(BootStage stage)
{
    switch (stage) {
#define FERROS_STAGE(name, id, text)                                                                                   \
    case BootStage::name:                                                                                              \
        return text;
#include <ferros/abi/boot_stages.def>
#undef FERROS_STAGE
    }
    return nullptr;
}

} // namespace ferros::abi
