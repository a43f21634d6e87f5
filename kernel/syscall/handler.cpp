#include "syscall/handler.h"
#include "arch/platform.h"
#include "boot_stage.h"
#include "ipc/calls.h"
#include "ipc/endpoint.h"
#include "ipc/lent.h"
#include "marker.h"
#include "process/scheduler.h"
#include "process/spawn.h"
#include "syscall/process_memory.h"
#include "syscall/store_call.h"

namespace ferros::kernel {

namespace {

    using abi::Syscall;

    int64_t result_of(const ErrorOr<int64_t>& result)
    {
        return result.is_error() ? -static_cast<int64_t>(result.error().code()) : result.value();
    }

    ErrorOr<int64_t> console_write(Process& self, const abi::SyscallArgs& args)
    {
        TRY(lookup_handle(self, args.a[0], ObjectKind::Console, abi::RightWrite));
        if (args.a[2] > abi::kMaxConsoleWrite)
            return Error(ErrorCode::TooBig, "more than 1024 bytes in one console write");
        UserRange const text { args.a[1], args.a[2] };
        ProcessMemory memory(self);
        TRY(check_range(memory, text, UserAccess::Read));
        char buffer[abi::kMaxConsoleWrite];
        TRY(copy_in(memory, buffer, text));
        for (uint64_t i = 0; i < text.length; ++i)
            arch::console_put(buffer[i]);
        return static_cast<int64_t>(text.length);
    }

    // The workload's operation markers (right Write), and the servers' recovery markers (right
    // Recovery: the store server's store-mounted stage and verdicts, a supervisor's restarts and
    // giving up); the other stages and the faults are the kernel's word.
    ErrorOr<int64_t> mark(Process& self, const abi::SyscallArgs& args)
    {
        HandleEntry const entry = TRY(lookup_handle(self, args.a[0], ObjectKind::Markers, 0));
        auto const kind = static_cast<abi::MarkerKind>(args.a[1]);
        bool const op_marker = kind == abi::MarkerKind::OpSubmitted || kind == abi::MarkerKind::OpDurable
            || kind == abi::MarkerKind::OpFailed || kind == abi::MarkerKind::GetAnswered;
        bool const recovery_marker = kind == abi::MarkerKind::Verdict || kind == abi::MarkerKind::Stage
            || kind == abi::MarkerKind::ServerRestarted || kind == abi::MarkerKind::ServerGaveUp;
        if (args.a[1] > 0xff || !(op_marker || recovery_marker))
            return Error(ErrorCode::InvalidArgument, "not an operation or recovery marker kind");
        if ((entry.rights & (op_marker ? abi::RightWrite : abi::RightRecovery)) == 0)
            return Error(kAccessDenied, "the markers handle lacks the right for this kind");
        if (args.a[2] != abi::marker_payload(args.a[2]))
            return Error(ErrorCode::InvalidArgument, "a marker payload has 56 bits");
        if (kind == abi::MarkerKind::Verdict && args.a[2] > abi::kLastVerdictInvariant)
            return Error(ErrorCode::InvalidArgument, "a verdict names an invariant 1..14, or 0");
        if (kind == abi::MarkerKind::Stage) {
            if (args.a[2] != static_cast<uint64_t>(abi::BootStage::StoreMounted))
                return Error(ErrorCode::InvalidArgument, "the only stage a server passes is store-mounted");
            pass_stage(abi::BootStage::StoreMounted);
            return 0;
        }
        store_marker(kind, args.a[2]);
        return 0;
    }

    void close_entry(Process& self, abi::Handle handle)
    {
        HandleEntry const entry = self.handles[handle];
        self.handles[handle] = HandleEntry();
        if (entry.kind == ObjectKind::Endpoint)
            endpoint_handle_closed(entry.object, entry.rights);
        if (entry.kind == ObjectKind::Store && entry.object != kNoStore)
            endpoint_handle_closed(entry.object, abi::RightSend);
        if (entry.kind == ObjectKind::Process) {
            if (Process* target = find_process(entry.object))
                reap_if_unreferenced(*target);
        }
    }

    ErrorOr<int64_t> close(Process& self, const abi::SyscallArgs& args)
    {
        if (args.a[0] == 0 || args.a[0] >= abi::kMaxHandles || self.handles[args.a[0]].kind == ObjectKind::None)
            return Error(kBadHandle, "no such handle");
        close_entry(self, args.a[0]);
        return 0;
    }

    ErrorOr<int64_t> spawn_call(Process& self, const abi::SyscallArgs& args)
    {
        HandleEntry const entry = TRY(lookup_handle(self, args.a[0], ObjectKind::Bundle, abi::RightSpawn));
        if (args.a[2] == 0 || args.a[2] > abi::kMaxProgramName)
            return Error(ErrorCode::InvalidArgument, "a program name has 1 to 15 bytes");
        UserRange const name_range { args.a[1], args.a[2] };
        ProcessMemory memory(self);
        TRY(check_range(memory, name_range, UserAccess::Read));
        uint8_t name[abi::kMaxProgramName];
        TRY(copy_in(memory, name, name_range));
        const abi::Bundle* bundle = spawn_bundle(static_cast<BundleOrigin>(entry.object));
        const abi::BundleProgram* program
            = bundle != nullptr ? bundle->find(ReadonlyBytes(name, name_range.length)) : nullptr;
        if (program == nullptr)
            return Error(ErrorCode::NotFound, "no program of that name in the bundle");
        // A free handle first, so that a refused call leaves no process behind.
        bool has_room = false;
        for (abi::Handle h = 1; h < abi::kMaxHandles; ++h)
            has_room |= self.handles[h].kind == ObjectKind::None;
        if (!has_room)
            return Error(ErrorCode::NoMemory, "the handle table is full");
        Process* child = TRY(spawn(*program, static_cast<BundleOrigin>(entry.object)));
        return static_cast<int64_t>(
            TRY(install_handle(self, HandleEntry { ObjectKind::Process, child->pid, abi::RightWait })));
    }

    ErrorOr<int64_t> wait(Process& self, const abi::SyscallArgs& args)
    {
        HandleEntry const entry = TRY(lookup_handle(self, args.a[0], ObjectKind::Process, abi::RightWait));
        if ((args.a[1] & ~abi::kWaitWatchdog) != 0)
            return Error(ErrorCode::InvalidArgument, "an unknown Wait flag");
        Process* target = find_process(entry.object);
        if (target == nullptr)
            return Error(kBadHandle, "the process is gone");
        int64_t status = target->exit_status;
        if (target->state != ProcessState::Exited) {
            self.watchdog = (args.a[1] & abi::kWaitWatchdog) != 0;
            status = block(BlockReason::Wait, entry.object);
            self.watchdog = false;
        }
        // Collected: the handle goes, and the zombie with it unless another handle names it.
        close_entry(self, args.a[0]);
        return status;
    }

    ErrorOr<int64_t> dispatch(Process& self, uint64_t number, const abi::SyscallArgs& args)
    {
        auto const call_number = static_cast<Syscall>(number);
        switch (call_number) {
        case Syscall::StorePut:
        case Syscall::StoreDelete:
        case Syscall::StoreBegin:
        case Syscall::StoreCommit:
        case Syscall::StoreSync:
        case Syscall::StoreGet:
        case Syscall::StoreLive:
            return store_call(self, call_number, args);
        case Syscall::Exit:
            if (args.a[0] > 255)
                return Error(ErrorCode::InvalidArgument, "an exit status is 0 to 255");
            exit_current(static_cast<int64_t>(args.a[0]));
        case Syscall::Yield:
            yield();
            return 0;
        case Syscall::ConsoleWrite:
            return console_write(self, args);
        case Syscall::Time:
            return static_cast<int64_t>(arch::timestamp());
        case Syscall::Mark:
            return mark(self, args);
        case Syscall::Close:
            return close(self, args);
        case Syscall::Spawn:
            return spawn_call(self, args);
        case Syscall::Wait:
            return wait(self, args);
        case Syscall::Call:
            return ipc_call(self, args);
        case Syscall::Receive:
            return ipc_receive(self, args);
        case Syscall::Reply:
            return ipc_reply(self, args);
        case Syscall::ReadLent:
            return read_lent(self, args);
        case Syscall::WriteLent:
            return write_lent(self, args);
        }
        return Error(kNoSuchCall, "no system call has that number");
    }

} // namespace

int64_t handle_syscall(uint64_t number, const abi::SyscallArgs& args)
{
    if (number > 0xffff'ffffu)
        return -static_cast<int64_t>(kNoSuchCall);
    Process& self = current_process();
    int64_t const result = result_of(dispatch(self, number, args));
    // A call that succeeded is progress; a refused one is not: a server whose state a fault broke
    // can loop on a call that fails every time (Receive into a bad buffer), and the watchdog
    // (scheduler.h) must see that spin as it sees one without any call.
    if (result >= 0)
        self.user_ticks = 0;
    return result;
}

} // namespace ferros::kernel
