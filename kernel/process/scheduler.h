#pragma once
// Round-robin scheduling of the process table, deterministic under icount: the order is the
// table's slot order, and the only asynchronous event, the LAPIC timer, arrives at the same
// instruction on every run. The kernel itself is never preempted (it runs with interrupts off);
// the timer preempts user mode only.

#include "process/process.h"

namespace ferros::kernel {

// Runs processes until none is runnable (no process waits for time, so a blocked process can
// only be woken by a runnable one). Returns the number of processes still blocked, not counting
// those at rest: servers waiting in Receive for their next client, and supervisors waiting for
// such a server to end (0 when every other process has exited; more means they wait for each
// other forever).
size_t run_processes();

Process& current_process();

// The current process stays runnable; every other runnable process runs first.
void yield();
// The current process blocks for `reason` until wake(); returns its wake_result.
int64_t block(BlockReason reason, uint32_t object);
// Makes a blocked process runnable; its block() returns `result`.
void wake(Process& process, int64_t result);

// Ends the current process: releases its memory and handles, fails or wakes whatever waited
// on it, and never returns. `status` is what Wait reports.
[[noreturn]] void exit_current(int64_t status);

// A CPU exception in user mode: kills the current process with a console line and a
// ProcessFault marker (docs/kernel.md). `name` is the exception's mnemonic.
[[noreturn]] void kill_current(const char* name, uint64_t vector, uint64_t error_code, uint64_t rip, uint64_t address);

// Injected hang (kernel/process/injection.h): the current process stops for good. It stays
// alive, holding its handles, and is never scheduled again; only a watchdog ends it.
[[noreturn]] void hang_current();

// Called on a timer interrupt that arrived in user mode: the current process goes behind every
// other runnable one. The watchdog's second half: a process that another waits for with
// abi::kWaitWatchdog and that the timer has found in user mode the spin budget's number of times
// in a row, without a successful system call in between (Process::user_ticks), is spinning: it is ended
// with kStuckStatus, as a stuck one is. Ticks come at fixed instructions under icount, so the
// verdict is the same on every run.
void preempt();
// The spin budget in ticks (abi::spin_budget_ticks of the largest device a process may map).
void set_spin_budget(uint64_t ticks);

// Exit statuses: Exit's status is 0..255; a killed process reports this plus the vector.
constexpr int64_t kKilledStatusBase = 256;
// A process its waiter's watchdog found stuck (Wait with abi::kWaitWatchdog) and ended.
constexpr int64_t kStuckStatus = 512;

} // namespace ferros::kernel
