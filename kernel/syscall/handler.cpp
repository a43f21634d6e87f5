#include "syscall/handler.h"
#include "arch/platform.h"
#include "ipc/endpoint.h"
#include "marker.h"
#include "process/scheduler.h"
#include "process/spawn.h"
#include "syscall/dispatch.h"
#include "syscall/process_memory.h"

namespace ferros::kernel {

namespace {

    using abi::Syscall;

    int64_t result_of(const ErrorOr<int64_t>& result)
    {
        return result.is_error() ? -static_cast<int64_t>(result.error().code()) : result.value();
    }

    ErrorOr<int64_t> error_from(int64_t result)
    {
        if (result < 0)
            return Error(static_cast<ErrorCode>(-result), "refused by the other side");
        return result;
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

    // Only the workload's markers: the boot stages, verdicts and faults are the kernel's word.
    ErrorOr<int64_t> mark(Process& self, const abi::SyscallArgs& args)
    {
        TRY(lookup_handle(self, args.a[0], ObjectKind::Markers, abi::RightWrite));
        auto const kind = static_cast<abi::MarkerKind>(args.a[1]);
        bool const op_marker = kind == abi::MarkerKind::OpSubmitted || kind == abi::MarkerKind::OpDurable
            || kind == abi::MarkerKind::OpFailed;
        if (args.a[1] > 0xff || !op_marker)
            return Error(ErrorCode::InvalidArgument, "not an operation marker kind");
        if (args.a[2] != abi::marker_payload(args.a[2]))
            return Error(ErrorCode::InvalidArgument, "a marker payload has 56 bits");
        store_marker(kind, args.a[2]);
        return 0;
    }

    ErrorOr<int64_t> store_call(Process& self, Syscall call, const abi::SyscallArgs& args)
    {
        uint32_t const right = call == Syscall::StoreGet ? abi::RightRead : abi::RightWrite;
        TRY(lookup_handle(self, args.a[0], ObjectKind::Store, right));
        ProcessMemory memory(self);
        return error_from(syscall_dispatch(call, args, memory));
    }

    void close_entry(Process& self, abi::Handle handle)
    {
        HandleEntry const entry = self.handles[handle];
        self.handles[handle] = HandleEntry();
        if (entry.kind == ObjectKind::Endpoint)
            endpoint_handle_closed(entry.object, entry.rights);
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
        TRY(lookup_handle(self, args.a[0], ObjectKind::Bundle, abi::RightSpawn));
        if (args.a[2] == 0 || args.a[2] > abi::kMaxProgramName)
            return Error(ErrorCode::InvalidArgument, "a program name has 1 to 15 bytes");
        UserRange const name_range { args.a[1], args.a[2] };
        ProcessMemory memory(self);
        TRY(check_range(memory, name_range, UserAccess::Read));
        uint8_t name[abi::kMaxProgramName];
        TRY(copy_in(memory, name, name_range));
        const abi::BundleProgram* program = spawn_bundle()->find(ReadonlyBytes(name, name_range.length));
        if (program == nullptr)
            return Error(ErrorCode::NotFound, "no program of that name in the bundle");
        // A free handle first, so that a refused call leaves no process behind.
        bool has_room = false;
        for (abi::Handle h = 1; h < abi::kMaxHandles; ++h)
            has_room |= self.handles[h].kind == ObjectKind::None;
        if (!has_room)
            return Error(ErrorCode::NoMemory, "the handle table is full");
        Process* child = TRY(spawn(*program));
        return static_cast<int64_t>(
            TRY(install_handle(self, HandleEntry { ObjectKind::Process, child->pid, abi::RightWait })));
    }

    ErrorOr<int64_t> wait(Process& self, const abi::SyscallArgs& args)
    {
        HandleEntry const entry = TRY(lookup_handle(self, args.a[0], ObjectKind::Process, abi::RightWait));
        Process* target = find_process(entry.object);
        if (target == nullptr)
            return Error(kBadHandle, "the process is gone");
        int64_t status = target->exit_status;
        if (target->state != ProcessState::Exited)
            status = block(BlockReason::Wait, entry.object);
        // Collected: the handle goes, and the zombie with it unless another handle names it.
        close_entry(self, args.a[0]);
        return status;
    }

    ErrorOr<int64_t> call(Process& self, const abi::SyscallArgs& args)
    {
        HandleEntry const entry = TRY(lookup_handle(self, args.a[0], ObjectKind::Endpoint, abi::RightSend));
        if (args.a[2] > abi::kMaxMessageLength)
            return Error(ErrorCode::TooBig, "a message has at most 256 bytes");
        UserRange const message { args.a[1], args.a[2] };
        UserRange const reply { args.a[3], args.a[4] };
        ProcessMemory memory(self);
        TRY(check_range(memory, message, UserAccess::Read));
        TRY(check_range(memory, reply, UserAccess::Write));
        Endpoint& e = endpoint(entry.object);
        if (e.receive_handles == 0)
            return Error(kPeerGone, "nobody receives on this endpoint");
        TRY(copy_in(memory, self.message, message));
        self.message_length = message.length;
        self.user_capacity = reply.length;

        int64_t result;
        if (Process* receiver = e.waiting_receiver) {
            e.waiting_receiver = nullptr;
            if (self.message_length > receiver->user_capacity) {
                wake(*receiver, -static_cast<int64_t>(ErrorCode::TooBig));
                return Error(ErrorCode::TooBig, "the message is longer than the receiver's buffer");
            }
            __builtin_memcpy(receiver->message, self.message, self.message_length);
            receiver->message_length = self.message_length;
            receiver->reply_to = self.pid;
            wake(*receiver, static_cast<int64_t>(self.message_length));
            result = block(BlockReason::CallReply, receiver->pid);
        } else {
            self.queue_next = nullptr;
            if (e.queue_tail)
                e.queue_tail->queue_next = &self;
            else
                e.queue_head = &self;
            e.queue_tail = &self;
            result = block(BlockReason::CallQueued, entry.object);
        }
        uint64_t const length = TRY(error_from(result));
        TRY(copy_out(memory, reply.address, self.message, length));
        return static_cast<int64_t>(length);
    }

    ErrorOr<int64_t> receive(Process& self, const abi::SyscallArgs& args)
    {
        HandleEntry const entry = TRY(lookup_handle(self, args.a[0], ObjectKind::Endpoint, abi::RightReceive));
        UserRange const buffer { args.a[1], args.a[2] };
        ProcessMemory memory(self);
        TRY(check_range(memory, buffer, UserAccess::Write));
        if (self.reply_to != 0)
            return Error(ErrorCode::InvalidArgument, "reply to the last caller first");
        Endpoint& e = endpoint(entry.object);
        if (Process* caller = e.queue_head) {
            e.queue_head = caller->queue_next;
            if (e.queue_head == nullptr)
                e.queue_tail = nullptr;
            caller->queue_next = nullptr;
            if (caller->message_length > buffer.length) {
                wake(*caller, -static_cast<int64_t>(ErrorCode::TooBig));
                return Error(ErrorCode::TooBig, "the message is longer than the buffer");
            }
            __builtin_memcpy(self.message, caller->message, caller->message_length);
            self.message_length = caller->message_length;
            self.reply_to = caller->pid;
            caller->blocked = BlockReason::CallReply;
            caller->block_object = self.pid;
        } else {
            if (e.waiting_receiver != nullptr)
                return Error(ErrorCode::Busy, "another process already waits on this endpoint");
            e.waiting_receiver = &self;
            self.user_capacity = buffer.length;
            TRY(error_from(block(BlockReason::Receive, entry.object)));
        }
        TRY(copy_out(memory, buffer.address, self.message, self.message_length));
        return static_cast<int64_t>(self.message_length);
    }

    ErrorOr<int64_t> reply(Process& self, const abi::SyscallArgs& args)
    {
        TRY(lookup_handle(self, args.a[0], ObjectKind::Endpoint, abi::RightReceive));
        if (args.a[2] > abi::kMaxMessageLength)
            return Error(ErrorCode::TooBig, "a message has at most 256 bytes");
        UserRange const message { args.a[1], args.a[2] };
        ProcessMemory memory(self);
        TRY(check_range(memory, message, UserAccess::Read));
        if (self.reply_to == 0)
            return Error(ErrorCode::InvalidArgument, "no caller is waiting for a reply");
        TRY(copy_in(memory, self.message, message));
        Process* caller = find_process(self.reply_to);
        self.reply_to = 0;
        bool const waiting = caller != nullptr && caller->state == ProcessState::Blocked
            && caller->blocked == BlockReason::CallReply && caller->block_object == self.pid;
        if (!waiting)
            return Error(kPeerGone, "the caller is gone");
        if (message.length > caller->user_capacity) {
            wake(*caller, -static_cast<int64_t>(ErrorCode::TooBig));
            return Error(ErrorCode::TooBig, "the reply is longer than the caller's buffer");
        }
        __builtin_memcpy(caller->message, self.message, message.length);
        wake(*caller, static_cast<int64_t>(message.length));
        return 0;
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
            return call(self, args);
        case Syscall::Receive:
            return receive(self, args);
        case Syscall::Reply:
            return reply(self, args);
        }
        return Error(kNoSuchCall, "no system call has that number");
    }

} // namespace

int64_t handle_syscall(uint64_t number, const abi::SyscallArgs& args)
{
    if (number > 0xffff'ffffu)
        return -static_cast<int64_t>(kNoSuchCall);
    return result_of(dispatch(current_process(), number, args));
}

} // namespace ferros::kernel
