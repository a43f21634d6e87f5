#pragma once
// The store calls as the guest makes them (docs/syscalls.md), on the host, through the code that
// serves them in the guest: the kernel's checks (kernel/syscall/store_call.cpp's order: the
// handle, kernel/syscall/validate.cpp's argument checks, every range the caller's, the key copied
// in, the value or buffer lent), then the store server's request handler (user/store/
// store_service.cpp, compiled in) on the host build of the store, and the kernel's check of the
// reply. What is not here is the IPC between them: the rendezvous, the copies through the kernel.

#include "syscall/user_memory.h"
#include <ferros/abi/syscall.h>
#include <ferros/base/bytes.h>
#include <ferros/storage/store.h>
#include <store_service.h>

namespace ferros::fuzz {

class HostStoreCalls {
public:
    // `value_buffer` holds abi::kMaxValueLength bytes: the server's buffer for values.
    HostStoreCalls(storage::Store& store, Bytes value_buffer)
        : m_service(store, value_buffer)
    {
    }

    // The call's result: >= 0, or -ErrorCode.
    int64_t call(abi::Syscall call, const abi::SyscallArgs& args, kernel::UserMemory& memory);

private:
    ErrorOr<int64_t> checked_call(abi::Syscall call, const abi::SyscallArgs& args, kernel::UserMemory& memory);

    user::StoreService m_service;
    uint8_t m_key[abi::kMaxKeyLength];
};

} // namespace ferros::fuzz
