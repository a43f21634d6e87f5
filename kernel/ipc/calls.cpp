#include "ipc/calls.h"
#include "ipc/endpoint.h"
#include "process/scheduler.h"
#include "syscall/process_memory.h"

namespace ferros::kernel {

namespace {

    ErrorOr<int64_t> error_from(int64_t result)
    {
        if (result < 0)
            return Error(static_cast<ErrorCode>(-result), "refused by the other side");
        return result;
    }

    // What the receiver learns of the call it took, besides the message.
    abi::ReceiveInfo info_of(const Process& caller)
    {
        abi::ReceiveInfo info;
        info.label = caller.label;
        info.sender = caller.pid;
        info.lent_length = caller.lent_length;
        info.lent_writable = caller.lent_writable ? 1 : 0;
        return info;
    }

} // namespace

ErrorOr<uint64_t> call_endpoint(Process& self, uint32_t index, uint64_t reply_capacity)
{
    Endpoint& e = endpoint(index);
    if (e.receive_handles == 0)
        return Error(kPeerGone, "nobody receives on this endpoint");
    self.user_capacity = reply_capacity;
    self.call_endpoint = index;
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
        result = block(BlockReason::CallQueued, index);
    }
    return static_cast<uint64_t>(TRY(error_from(result)));
}

ErrorOr<int64_t> ipc_call(Process& self, const abi::SyscallArgs& args)
{
    HandleEntry const entry = TRY(lookup_handle(self, args.a[0], ObjectKind::Endpoint, abi::RightSend));
    if (args.a[2] > abi::kMaxMessageLength)
        return Error(ErrorCode::TooBig, "a message has at most 256 bytes");
    UserRange const message { args.a[1], args.a[2] };
    UserRange const reply { args.a[3], args.a[4] };
    ProcessMemory memory(self);
    TRY(check_range(memory, message, UserAccess::Read));
    TRY(check_range(memory, reply, UserAccess::Write));
    if (endpoint(entry.object).receive_handles == 0)
        return Error(kPeerGone, "nobody receives on this endpoint");
    TRY(copy_in(memory, self.message, message));
    self.message_length = message.length;
    // A plain Call carries no label and lends nothing.
    self.label = 0;
    self.lent_address = self.lent_length = 0;
    self.lent_writable = false;
    uint64_t const length = TRY(call_endpoint(self, entry.object, reply.length));
    TRY(copy_out(memory, reply.address, self.message, length));
    return static_cast<int64_t>(length);
}

ErrorOr<int64_t> ipc_receive(Process& self, const abi::SyscallArgs& args)
{
    HandleEntry const entry = TRY(lookup_handle(self, args.a[0], ObjectKind::Endpoint, abi::RightReceive));
    UserRange const buffer { args.a[1], args.a[2] };
    UserRange const info_range { args.a[3], args.a[3] == 0 ? 0 : sizeof(abi::ReceiveInfo) };
    ProcessMemory memory(self);
    TRY(check_range(memory, buffer, UserAccess::Write));
    TRY(check_range(memory, info_range, UserAccess::Write));
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
    if (info_range.length != 0) {
        // The caller is blocked on this process's reply: it cannot have gone since it was taken.
        Process* caller = find_process(self.reply_to);
        abi::ReceiveInfo const info = caller != nullptr ? info_of(*caller) : abi::ReceiveInfo();
        TRY(copy_out(memory, info_range.address, &info, sizeof(info)));
    }
    return static_cast<int64_t>(self.message_length);
}

ErrorOr<int64_t> ipc_reply(Process& self, const abi::SyscallArgs& args)
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

} // namespace ferros::kernel
