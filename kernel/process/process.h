#pragma once
// A process: a protection domain (its address space), a kernel stack that holds its user
// registers while it is in the kernel, a handle table, and the state of the one system call it
// may be blocked in. The table is static: at most kMaxProcesses live at once.

#include "memory/address_space.h"
#include <ferros/abi/syscall.h>
#include <stddef.h>
#include <stdint.h>

namespace ferros::kernel {

constexpr size_t kMaxProcesses = 16;
constexpr size_t kKernelStackSize = 16384;

enum class ProcessState : uint8_t {
    Free,
    Runnable,
    Blocked,
    Exited, // a zombie until the last Wait (or the end of the boot) collects it
};

enum class BlockReason : uint8_t {
    None,
    Receive, // waiting on an endpoint for a caller
    CallQueued, // waiting on an endpoint for a receiver
    CallReply, // waiting for the receiver's Reply
    Wait, // waiting for another process to exit
    Hung, // an injected hang: never woken (only a watchdog ends the process)
};

enum class ObjectKind : uint8_t { None, Console, Store, Markers, Bundle, Endpoint, Process };

struct HandleEntry {
    ObjectKind kind { ObjectKind::None };
    uint32_t object { 0 }; // endpoint index, or process pid
    uint32_t rights { 0 };
};

struct Process {
    uint32_t pid { 0 }; // 1, 2, ... in creation order; never reused within a boot
    ProcessState state { ProcessState::Free };
    char name[16] {};
    AddressSpace space;
    uint64_t saved_rsp { 0 }; // while not running: where x86_64_switch_context left its stack
    uint64_t kernel_stack_top { 0 };
    HandleEntry handles[abi::kMaxHandles];

    BlockReason blocked { BlockReason::None };
    uint32_t block_object { 0 }; // the endpoint index or pid the block is on
    bool watchdog { false }; // blocked in Wait with abi::kWaitWatchdog
    // Timer ticks that found it in user mode since its last successful system call: a watched
    // process that reaches the spin budget is spinning (scheduler.h, preempt).
    uint64_t user_ticks { 0 };
    Process* queue_next { nullptr }; // an endpoint's queue of waiting callers
    // IPC: the message in flight to or from this process, in kernel memory, so that it can be
    // copied into the receiver's memory once the receiver runs (its own address space active).
    uint8_t message[abi::kMaxMessageLength] {};
    uint64_t message_length { 0 };
    uint64_t user_buffer { 0 }; // where the blocked call wants its answer
    uint64_t user_capacity { 0 };
    int64_t wake_result { 0 }; // what the blocked call returns (>= 0 or -ErrorCode)
    uint32_t reply_to { 0 }; // the caller a Receive took, until Reply (0: none)
    // The call in flight from this process, as its receiver sees it (abi::ReceiveInfo): a
    // label, and memory of this process lent to the receiver for the call (the store calls
    // lend the value or the buffer). Checked against this process's mappings when set.
    uint64_t label { 0 };
    uint32_t call_endpoint { 0 }; // the endpoint of the call in flight (its server may die)
    uint64_t lent_address { 0 };
    uint64_t lent_length { 0 };
    bool lent_writable { false };

    // A server (the store server): blocked in Receive it waits for clients, not for anything
    // else, so it does not keep a run from ending (run_processes).
    bool server { false };
    // The store transaction this process opened (StoreBegin answered 0) and the store server
    // generation that holds it (store_call.cpp): a transaction dies with its server.
    bool store_txn_open { false };
    uint64_t store_txn_generation { 0 };
    // Started by the kernel itself, which reads its exit status: kept as a zombie until the
    // kernel collects it, whoever else held a handle.
    bool kernel_child { false };

    int64_t exit_status { 0 };
    bool killed { false };
};

// The table, in slot order (deterministic iteration).
Process* process_table();
Process* find_process(uint32_t pid);
// A free slot with a fresh pid, or nullptr.
Process* allocate_process();

// An exited process whose pid no live process holds a handle to is freed (its slot reused).
void reap_if_unreferenced(Process& process);

// Handles: 1 .. kMaxHandles - 1; 0 and out-of-range values are invalid.
// The entry `handle` names if it is of `kind` and carries every right in `rights`, else an
// error: BadHandle (no such handle, or another kind) or AccessDenied (a right is missing).
ErrorOr<HandleEntry> lookup_handle(const Process& process, uint64_t handle, ObjectKind kind, uint32_t rights);
// The lowest free handle, or NoMemory when the table is full.
ErrorOr<abi::Handle> install_handle(Process& process, HandleEntry entry);

} // namespace ferros::kernel
