#pragma once
// The store calls as a process makes them (docs/syscalls.md), on the host: the handle check,
// the kernel's own argument checks (kernel/syscall/validate.cpp, compiled in) and range checks
// (kernel/syscall/user_memory.h), the copy-in, then the store acts as the calls specify: a put
// or delete outside a transaction commits on its own; inside one it joins it; commit closes the
// transaction whatever it returns. This is what the kernel's dispatch did before issue 14 moved
// the store behind IPC to a server; once the server has a host-testable request handler, this
// file should call it rather than act itself.

#include "syscall/user_memory.h"
#include <ferros/abi/syscall.h>
#include <ferros/base/bytes.h>
#include <ferros/storage/store.h>

namespace ferros::fuzz {

class HostStoreCalls {
public:
    // `value_buffer` holds abi::kMaxValueLength bytes: values on their way in and out.
    HostStoreCalls(storage::Store& store, Bytes value_buffer)
        : m_store(store)
        , m_value_buffer(value_buffer)
    {
    }

    // The call's result: >= 0, or -ErrorCode.
    int64_t call(abi::Syscall call, const abi::SyscallArgs& args, kernel::UserMemory& memory);

private:
    ErrorOr<int64_t> act(abi::Syscall call, const abi::SyscallArgs& args, kernel::UserMemory& memory);

    storage::Store& m_store;
    Bytes m_value_buffer;
    uint8_t m_key[255]; // abi::kMaxKeyLength (abi/workload.h)
    // Whether the caller opened a transaction with StoreBegin: a put or delete then joins it
    // instead of committing on its own.
    bool m_transaction_open { false };
};

} // namespace ferros::fuzz
