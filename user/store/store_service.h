#pragma once
// The store server's requests (docs/syscalls.md, the store calls): what the kernel used to do
// with the store in its own address space, now done by the server that owns the device. A
// request is one store call: its label (the call's number), the caller's badge (its pid), the key
// (the message), and the value or buffer the caller lent. The result is what the call returns:
// >= 0, or -ErrorCode. Host-testable: the lent memory is an interface.

#include <ferros/abi/syscall.h>
#include <ferros/abi/workload.h>
#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/storage/store.h>
#include <stdint.h>

namespace ferros::user {

// The memory the caller lent for the request (ReadLent and WriteLent in the server).
class LentMemory {
public:
    virtual uint64_t length() const = 0;
    // Reads the first out.size() bytes. Errors: what the kernel answers (OutOfRange, PeerGone).
    virtual ErrorOr<void> read(Bytes out) = 0;
    // Writes data at the start. Errors: AccessDenied (lent read-only) and the kernel's.
    virtual ErrorOr<void> write(ReadonlyBytes data) = 0;

protected:
    ~LentMemory() = default;
};

class StoreService {
public:
    // `value_buffer` holds abi::kMaxValueLength bytes: values pass through it on their way.
    StoreService(storage::Store& store, Bytes value_buffer)
        : m_store(store)
        , m_value_buffer(value_buffer)
    {
    }

    int64_t handle(uint64_t label, uint64_t client, ReadonlyBytes key, LentMemory& lent);

private:
    ErrorOr<int64_t> act(abi::Syscall call, uint64_t client, ReadonlyBytes key, LentMemory& lent);
    template<typename Change>
    ErrorOr<void> change(uint64_t client, Change apply);

    storage::Store& m_store;
    Bytes m_value_buffer;
    // The client whose StoreBegin opened the store's transaction (0: none). Its puts and
    // deletes join the transaction; anyone else's commit on their own (and find the store Busy).
    uint64_t m_transaction_owner { 0 };
};

} // namespace ferros::user
