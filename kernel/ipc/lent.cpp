#include "ipc/lent.h"
#include "arch/platform.h"
#include "memory/page_pool.h"
#include "syscall/process_memory.h"

namespace ferros::kernel {

namespace {

    enum class Direction : uint8_t { FromCaller, ToCaller };

    // The caller `self` took with Receive and has not answered yet, if it still waits.
    ErrorOr<Process*> owed_caller(const Process& self)
    {
        if (self.reply_to == 0)
            return Error(ErrorCode::InvalidArgument, "no caller is owed a reply");
        Process* caller = find_process(self.reply_to);
        bool const waiting = caller != nullptr && caller->state == ProcessState::Blocked
            && caller->blocked == BlockReason::CallReply && caller->block_object == self.pid;
        if (!waiting)
            return Error(kPeerGone, "the caller is gone");
        return caller;
    }

    ErrorOr<int64_t> transfer(Process& self, const abi::SyscallArgs& args, Direction direction)
    {
        TRY(lookup_handle(self, args.a[0], ObjectKind::Endpoint, abi::RightReceive));
        uint64_t const offset = args.a[1];
        UserRange const local { args.a[2], args.a[3] };
        ProcessMemory memory(self);
        // Reading from the caller writes into this process, and the other way round.
        UserAccess const local_access = direction == Direction::FromCaller ? UserAccess::Write : UserAccess::Read;
        TRY(check_range(memory, local, local_access));
        Process* caller = TRY(owed_caller(self));
        if (offset > caller->lent_length || local.length > caller->lent_length - offset)
            return Error(ErrorCode::OutOfRange, "outside the memory the caller lent");
        if (direction == Direction::ToCaller && !caller->lent_writable)
            return Error(ErrorCode::AccessDenied, "the caller lent this memory read-only");
        UserAccess const remote_access = direction == Direction::FromCaller ? UserAccess::Read : UserAccess::Write;
        // Page by page: the caller's pages are reached through the identity map, this
        // process's through the user-copy routines (its address space is the active one).
        uint64_t done = 0;
        while (done < local.length) {
            uint64_t const remote = caller->lent_address + offset + done;
            uint64_t const in_page = kPageSize - (remote & (kPageSize - 1));
            uint64_t const chunk = local.length - done < in_page ? local.length - done : in_page;
            PhysicalAddress const physical = TRY(caller->space.translate(remote, remote_access));
            auto* bytes = reinterpret_cast<uint8_t*>(physical.value());
            if (direction == Direction::FromCaller)
                TRY(copy_out(memory, local.address + done, bytes, chunk));
            else
                TRY(copy_in(memory, bytes, UserRange { local.address + done, chunk }));
            done += chunk;
        }
        return static_cast<int64_t>(local.length);
    }

} // namespace

ErrorOr<int64_t> read_lent(Process& self, const abi::SyscallArgs& args)
{
    return transfer(self, args, Direction::FromCaller);
}

ErrorOr<int64_t> write_lent(Process& self, const abi::SyscallArgs& args)
{
    return transfer(self, args, Direction::ToCaller);
}

} // namespace ferros::kernel
