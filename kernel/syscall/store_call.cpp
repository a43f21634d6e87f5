#include "syscall/store_call.h"
#include "ipc/calls.h"
#include "process/spawn.h"
#include "syscall/process_memory.h"
#include "syscall/validate.h"

namespace ferros::kernel {

namespace {

    // Every range is the caller's before anything is copied or sent.
    ErrorOr<void> check_ranges(const StoreCallArgs& args, const UserMemory& memory)
    {
        TRY(check_range(memory, args.key, UserAccess::Read));
        TRY(check_range(memory, args.value, UserAccess::Read));
        TRY(check_range(memory, args.buffer, UserAccess::Write));
        return {};
    }

    void lend(Process& self, UserRange range, bool writable)
    {
        self.lent_address = range.address;
        self.lent_length = range.length;
        self.lent_writable = writable;
    }

    // How many store servers have died: the generation of the one serving now.
    uint64_t s_server_generation = 0;

    bool joins_transaction(abi::Syscall call)
    {
        return call == abi::Syscall::StorePut || call == abi::Syscall::StoreDelete || call == abi::Syscall::StoreCommit;
    }

} // namespace

void store_server_died() { ++s_server_generation; }

ErrorOr<int64_t> store_call(Process& self, abi::Syscall call, const abi::SyscallArgs& args)
{
    // StoreLive writes keys of its own and is the kernel's live checker's alone: no program a
    // bundle grants the store gets its right.
    uint32_t const right = call == abi::Syscall::StoreGet ? abi::RightRead
        : call == abi::Syscall::StoreLive                 ? abi::RightRecovery
                                                          : abi::RightWrite;
    HandleEntry const entry = TRY(lookup_handle(self, args.a[0], ObjectKind::Store, right));
    StoreCallArgs const decoded = TRY(validate_syscall(call, args));
    ProcessMemory memory(self);
    TRY(check_ranges(decoded, memory));
    if (entry.object == kNoStore)
        return Error(ErrorCode::Unsupported, "no store: the machine has no SSD");
    // Validate-then-act: a transaction whose server died is over, whatever the new server would
    // make of the calls that were meant to join it. Commit answers for it, once.
    if (self.store_txn_open && self.store_txn_generation != s_server_generation && joins_transaction(call)) {
        if (call == abi::Syscall::StoreCommit)
            self.store_txn_open = false;
        return Error(ErrorCode::ServerRestarted, "the transaction died with the store server that held it");
    }
    TRY(copy_in(memory, self.message, decoded.key));
    self.message_length = decoded.key.length;
    self.label = static_cast<uint64_t>(call);
    if (call == abi::Syscall::StorePut)
        lend(self, decoded.value, false);
    else if (call == abi::Syscall::StoreGet)
        lend(self, decoded.buffer, true);
    else
        lend(self, UserRange(), false);
    auto replied = call_endpoint(self, entry.object, abi::kStoreReplyLength);
    lend(self, UserRange(), false);
    uint64_t const length = TRY(replied);
    if (length != abi::kStoreReplyLength)
        return Error(ErrorCode::Io, "the store server's reply is not 8 bytes");
    int64_t result;
    __builtin_memcpy(&result, self.message, sizeof(result));
    if (call == abi::Syscall::StoreBegin && result == 0) {
        self.store_txn_open = true;
        self.store_txn_generation = s_server_generation;
    } else if (call == abi::Syscall::StoreCommit) {
        self.store_txn_open = false;
    }
    if (call == abi::Syscall::StoreGet && result > 0 && static_cast<uint64_t>(result) > decoded.buffer.length)
        return Error(ErrorCode::Io, "the store server answered a length the buffer cannot hold");
    return result;
}

} // namespace ferros::kernel
