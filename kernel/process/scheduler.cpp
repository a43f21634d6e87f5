#include "process/scheduler.h"
#include "arch/platform.h"
#include "console.h"
#include "ipc/endpoint.h"
#include "marker.h"
#include "process/injection.h"
#include "process/spawn.h"
#include "syscall/errors.h"
#include "syscall/store_call.h"
#include <ferros/base/verify.h>

namespace ferros::kernel {

namespace {

    Process* s_current = nullptr;
    // The scheduler's own context (run_processes on the boot stack): resumed when no process
    // is runnable.
    uint64_t s_scheduler_rsp = 0;

    // The next runnable process after `after` in slot order, wrapping around; `after` itself
    // comes last. nullptr if none is runnable.
    Process* pick_next(const Process* after)
    {
        Process* table = process_table();
        size_t const start = after == nullptr ? 0 : static_cast<size_t>(after - table) + 1;
        for (size_t i = 0; i < kMaxProcesses; ++i) {
            Process& candidate = table[(start + i) % kMaxProcesses];
            if (candidate.state == ProcessState::Runnable)
                return &candidate;
        }
        return nullptr;
    }

    void resume(Process& next, uint64_t* save_rsp)
    {
        s_current = &next;
        arch::enter_address_space(next.space.root(), next.kernel_stack_top);
        arch::switch_context(save_rsp, next.saved_rsp);
    }

    // Switches away from the current process (which has already set its new state) to the
    // next runnable one, or to the scheduler when there is none. Returns when the current
    // process is resumed.
    void reschedule()
    {
        Process* self = s_current;
        Process* next = pick_next(self);
        if (next == self)
            return;
        if (next != nullptr)
            resume(*next, &self->saved_rsp);
        else
            arch::switch_context(&self->saved_rsp, s_scheduler_rsp);
    }

    // A caller whose request the dying server had taken: if someone else still holds a Receive
    // handle to its endpoint (a supervisor that restarts the server), the request's outcome is
    // unknown but the service lives on: ServerRestarted, and the caller may retry. Otherwise
    // nobody will ever answer on that endpoint: PeerGone.
    ErrorCode reply_lost_error(const Process& caller)
    {
        const Endpoint& e = endpoint(caller.call_endpoint);
        return e.receive_handles > 0 ? ErrorCode::ServerRestarted : kPeerGone;
    }

    // Everything a dying process holds goes, and whoever waited on it learns.
    void release(Process& dying)
    {
        if (dying.server)
            store_server_died();
        endpoint_forget(dying);
        for (auto& handle : dying.handles) {
            HandleEntry const entry = handle;
            handle = HandleEntry();
            if (entry.kind == ObjectKind::Endpoint)
                endpoint_handle_closed(entry.object, entry.rights);
            if (entry.kind == ObjectKind::Store && entry.object != kNoStore)
                endpoint_handle_closed(entry.object, abi::RightSend);
            // A child nobody will wait for any more is collected now.
            if (entry.kind == ObjectKind::Process) {
                if (Process* child = find_process(entry.object))
                    reap_if_unreferenced(*child);
            }
        }
        for (size_t i = 0; i < kMaxProcesses; ++i) {
            Process& other = process_table()[i];
            if (other.state != ProcessState::Blocked || other.block_object != dying.pid)
                continue;
            if (other.blocked == BlockReason::CallReply)
                wake(other, -static_cast<int64_t>(reply_lost_error(other)));
            else if (other.blocked == BlockReason::Wait)
                wake(other, dying.exit_status);
        }
        // Its own tables are the active ones: leave them before freeing them.
        arch::enter_kernel_address_space();
        dying.space.release();
        dying.state = ProcessState::Exited;
        reap_if_unreferenced(dying);
    }

    // A server waiting in Receive for a client that will not come is at rest, not stuck; so is
    // a supervisor waiting for such a server to end.
    bool at_rest(const Process& process)
    {
        if (process.blocked == BlockReason::Receive)
            return true;
        if (process.blocked != BlockReason::Wait)
            return false;
        const Process* target = find_process(process.block_object);
        return target != nullptr && target->state == ProcessState::Blocked && target->blocked == BlockReason::Receive;
    }

    // The vectors a ProcessFault marker names for a process the watchdog ended, stuck or
    // spinning (CPU exception vectors are below 32; 0xff is a panic's).
    constexpr uint64_t kWatchdogVector = 0xfe;
    constexpr uint64_t kSpinningVector = 0xfd;

    uint64_t s_spin_budget_ticks = abi::spin_budget_ticks(0);

    // The process waiting for `pid` with the watchdog on, or nullptr.
    const Process* watchdog_of(uint32_t pid)
    {
        for (size_t i = 0; i < kMaxProcesses; ++i) {
            const Process& waiter = process_table()[i];
            if (waiter.state == ProcessState::Blocked && waiter.blocked == BlockReason::Wait && waiter.watchdog
                && waiter.block_object == pid)
                return &waiter;
        }
        return nullptr;
    }

    // The watchdog (Wait with abi::kWaitWatchdog): called when no process can run, so nothing
    // will ever change by itself. A watched process that is blocked other than in Receive (hung,
    // or waiting on something that cannot come) is stuck for good: it is ended with kStuckStatus,
    // which wakes its waiter. The first such process in slot order; false if there is none.
    bool end_one_stuck_process()
    {
        for (size_t i = 0; i < kMaxProcesses; ++i) {
            const Process& waiter = process_table()[i];
            if (waiter.state != ProcessState::Blocked || waiter.blocked != BlockReason::Wait || !waiter.watchdog)
                continue;
            Process* stuck = find_process(waiter.block_object);
            if (stuck == nullptr || stuck->state != ProcessState::Blocked || stuck->blocked == BlockReason::Receive)
                continue;
            store_marker(abi::MarkerKind::ProcessFault, (static_cast<uint64_t>(stuck->pid) << 8) | kWatchdogVector);
            kprintf("ferros: process %u (%s) killed: stuck, found by the watchdog of process %u\n", stuck->pid,
                stuck->name, waiter.pid);
            stuck->killed = true;
            stuck->exit_status = kStuckStatus;
            // The scheduler's own context: the kernel's address space is the active one.
            release(*stuck);
            return true;
        }
        return false;
    }

} // namespace

size_t run_processes()
{
    arch::disable_interrupts();
    do {
        while (Process* next = pick_next(nullptr)) {
            resume(*next, &s_scheduler_rsp);
            s_current = nullptr;
            arch::enter_kernel_address_space();
        }
    } while (end_one_stuck_process());
    size_t blocked = 0;
    for (size_t i = 0; i < kMaxProcesses; ++i) {
        const Process& process = process_table()[i];
        if (process.state == ProcessState::Blocked && !at_rest(process))
            blocked += 1;
    }
    return blocked;
}

Process& current_process()
{
    VERIFY(s_current != nullptr);
    return *s_current;
}

void yield() { reschedule(); }

int64_t block(BlockReason reason, uint32_t object)
{
    Process& self = current_process();
    self.state = ProcessState::Blocked;
    self.blocked = reason;
    self.block_object = object;
    reschedule();
    return self.wake_result;
}

void wake(Process& process, int64_t result)
{
    VERIFY(process.state == ProcessState::Blocked);
    process.state = ProcessState::Runnable;
    process.blocked = BlockReason::None;
    process.wake_result = result;
}

void exit_current(int64_t status)
{
    Process& self = current_process();
    self.exit_status = status;
    release(self);
    reschedule();
    VERIFY_NOT_REACHED();
}

void kill_current(const char* name, uint64_t vector, uint64_t error_code, uint64_t rip, uint64_t address)
{
    Process& self = current_process();
    self.killed = true;
    // Marker first, as for every event; then the line (docs/kernel.md).
    store_marker(abi::MarkerKind::ProcessFault, (static_cast<uint64_t>(self.pid) << 8) | (vector & 0xff));
    kprintf("ferros: process %u (%s) killed: %s (vector %lu) error=0x%lx at rip=0x%lx addr=0x%lx\n", self.pid,
        self.name, name, vector, error_code, rip, address);
    exit_current(kKilledStatusBase + static_cast<int64_t>(vector));
}

void hang_current()
{
    block(BlockReason::Hung, 0);
    VERIFY_NOT_REACHED();
}

void set_spin_budget(uint64_t ticks) { s_spin_budget_ticks = ticks; }

void preempt()
{
    if (s_current == nullptr)
        return;
    Process& self = *s_current;
    // A single-stepped injection target spends hundreds of kernel instructions on each of its
    // own, and the fault is not there yet: its ticks would measure the stepping, not it.
    if (!injection_stepping(self.pid))
        self.user_ticks += 1;
    if (self.user_ticks >= s_spin_budget_ticks) {
        if (const Process* waiter = watchdog_of(self.pid)) {
            store_marker(abi::MarkerKind::ProcessFault, (static_cast<uint64_t>(self.pid) << 8) | kSpinningVector);
            kprintf("ferros: process %u (%s) killed: spinning, %lu ticks without a successful system call, found by "
                    "the watchdog of process %u\n",
                self.pid, self.name, self.user_ticks, waiter->pid);
            self.killed = true;
            exit_current(kStuckStatus);
        }
    }
    reschedule();
}

} // namespace ferros::kernel
