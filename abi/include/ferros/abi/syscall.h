#pragma once
// System-call numbers, handles and rights: the calling convention shared by the kernel, the
// user-space runtime (user/runtime) and the host-native build. docs/syscalls.md documents
// every call.

#include <stdint.h>

namespace ferros::abi {

enum class Syscall : uint32_t {
#define FERROS_SYSCALL(name, number, args) name = number,
#include <ferros/abi/syscalls.def>
#undef FERROS_SYSCALL
};

// Arguments as a user-mode `syscall` passes them (rdi, rsi, rdx, r10, r8, r9).
struct SyscallArgs {
    uint64_t a[6] {};
};

constexpr const char* syscall_name(Syscall call)
{
    switch (call) {
#define FERROS_SYSCALL(name, number, args)                                                                             \
    case Syscall::name:                                                                                                \
        return #name;
#include <ferros/abi/syscalls.def>
#undef FERROS_SYSCALL
    }
    return nullptr;
}

// A handle names one kernel object in the calling process's handle table; 0 is never valid.
using Handle = uint64_t;
constexpr uint32_t kMaxHandles = 16;

// Rights a handle carries (seL4/Zircon style): a call checks the one it needs.
enum Right : uint32_t {
    RightRead = 1u << 0, // StoreGet
    RightWrite = 1u << 1, // StorePut/Delete/Begin/Commit/Sync, ConsoleWrite, Mark
    RightSend = 1u << 2, // Call on an endpoint
    RightReceive = 1u << 3, // Receive and Reply on an endpoint
    RightSpawn = 1u << 4, // Spawn from the boot bundle
    RightWait = 1u << 5, // Wait for a process
    // Mark: the store server's recovery markers (store-mounted, verdicts); StoreLive: the
    // continuation after recovery (R14), on a store handle only the kernel's live checker holds.
    RightRecovery = 1u << 6,
};

// The handles a process starts with, by what the boot bundle grants it (docs/kernel.md): a
// grant puts its handle in a fixed slot, so programs need no discovery protocol.
constexpr Handle kConsoleHandle = 1; // Write
constexpr Handle kStoreHandle = 2; // Read | Write
constexpr Handle kMarkersHandle = 3; // Write
constexpr Handle kBundleHandle = 4; // Spawn
constexpr Handle kFirstEndpointHandle = 8; // boot endpoint i is handle 8 + i (Send and/or Receive)

// Wait's flags (its second argument). kWaitWatchdog: when no process can run and the waited-for
// process is blocked other than in Receive (stuck for good: hung, or waiting for what cannot
// come), or when it has spent the spin budget below in user mode without a successful system
// call (spinning), the kernel ends it with status 512 and Wait returns that (docs/kernel.md, "The
// supervisor").
constexpr uint64_t kWaitWatchdog = 1;

// The spin budget, in timer ticks (one every 1 M instructions of virtual time, docs/kernel.md):
// a watched process that the timer finds in user mode this many times in a row without a
// successful system call in between is spinning. It must exceed the longest legitimate stretch
// without one, which for the store server is its recovery (format, mount and self-check run in
// user mode on the mapped window) and grows with the device. Measured (docs/kernel.md, the supervisor): a
// self-check of 398 KB of values on 1 MiB took 7 ticks, 590 KB on 4 MiB 19, 517 KB on 16 MiB
// 32; fitted, about 24 instructions a live byte plus 1.2 a device byte, so at most about 13 a
// device byte with half the device live. The budget allows 32 a byte and 8 M besides (mount's
// bounded log replay, a 64 KiB value), about 2.5 times the worst.
constexpr uint64_t kSpinBudgetBaseTicks = 8;
constexpr uint64_t kSpinBudgetBytesPerTick = 32'768; // 32 instructions a byte, 1 M a tick
constexpr uint64_t spin_budget_ticks(uint64_t device_bytes)
{
    return kSpinBudgetBaseTicks + (device_bytes + kSpinBudgetBytesPerTick - 1) / kSpinBudgetBytesPerTick;
}
// Virtual time per tick: the LAPIC timer's period under -icount shift=0 (1 count = 1 ns = 1
// instruction).
constexpr uint64_t kTickInstructions = 1'000'000;

// IPC messages are small and copied through the kernel: at most this many bytes each way.
constexpr uint64_t kMaxMessageLength = 256;

// What Receive tells the receiver about the call it took (its optional fourth argument), besides
// the message: the call's label (the store calls: the call's number), the caller's pid (a
// badge: the server keeps per-client state by it), and the memory the caller lent for the call
// (ReadLent, WriteLent): its length and whether the receiver may write it.
struct ReceiveInfo {
    uint64_t label { 0 };
    uint64_t sender { 0 };
    uint64_t lent_length { 0 };
    uint64_t lent_writable { 0 }; // 1: WriteLent may write it; 0: ReadLent only
};

// The store server's protocol (docs/syscalls.md): the kernel turns each store call into a Call
// to the store endpoint with label = the call's number, message = the key, the value (StorePut,
// readable) or the buffer (StoreGet, writable) lent, and takes an 8-byte reply: the result.
constexpr uint64_t kStoreReplyLength = 8;
// The store server's exit statuses when its recovery fails: the verdict it marked (R1, R2).
// The supervisor never restarts a server whose device is damaged: a restart cannot repair it.
constexpr uint8_t kStoreExitMountFailed = 1;
constexpr uint8_t kStoreExitSelfCheckFailed = 2;
// The store stopped while serving (a device error, or a check of its own writes found a bad
// register or stack byte): the server ends without answering, and its restart, a mount, is the
// repair. Above the supervisor's permanent statuses (1-63): a crash, restarted.
constexpr uint8_t kStoreExitFailStop = 64;
// ConsoleWrite takes at most this many bytes a call.
constexpr uint64_t kMaxConsoleWrite = 1024;

// The user address space (docs/kernel.md): everything a process can name lies in
// [kUserBase, kUserEnd); the kernel's half is below it and supervisor-only.
constexpr uint64_t kUserBase = 0x0000'0080'0000'0000; // 512 GiB: the second top-level slot
constexpr uint64_t kUserEnd = 0x0000'0080'4000'0000; // one GiB of user space a process
constexpr uint64_t kUserArgs = kUserBase + 0x1000; // the program's argument bytes (one page)
constexpr uint64_t kUserImageBase = kUserBase + 0x0020'0000; // programs are linked here
constexpr uint64_t kUserImageEnd = kUserBase + 0x1000'0000;
constexpr uint64_t kUserWorkload = kUserBase + 0x1000'0000; // the workload, read-only, if granted
constexpr uint64_t kUserWorkloadEnd = kUserBase + 0x3000'0000;
constexpr uint64_t kUserDevice = kUserBase + 0x3000'0000; // the store server: the SSD window, if granted
constexpr uint64_t kUserDeviceEnd = kUserBase + 0x3f00'0000; // (at most 240 MiB)
constexpr uint64_t kUserDoorbell = kUserDeviceEnd; // the store server: the control page (the FLUSH doorbell)
constexpr uint64_t kUserStackTop = kUserEnd - 0x1000; // a guard page above the stack
constexpr uint64_t kUserStackSize = 0x8000;

} // namespace ferros::abi
