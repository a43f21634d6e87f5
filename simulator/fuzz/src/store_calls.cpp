#include "store_calls.h"
#include "syscall/validate.h"

namespace ferros::fuzz {

namespace {

    // A put or delete outside a transaction is a transaction of one operation.
    template<typename Change>
    ErrorOr<void> change(storage::Store& store, bool transaction_open, Change apply)
    {
        if (transaction_open)
            return apply();
        TRY(store.begin());
        if (auto applied = apply(); applied.is_error()) {
            store.abort();
            return applied;
        }
        return store.commit();
    }

} // namespace

ErrorOr<int64_t> HostStoreCalls::act(abi::Syscall call, const abi::SyscallArgs& args, kernel::UserMemory& memory)
{
    // Validate, then act: the kernel's checks of every argument, then every range, before
    // anything is copied or changed.
    // The runner's store handle carries Read and Write, the rights every store call needs.
    if (args.a[0] != abi::kStoreHandle)
        return Error(ErrorCode::BadHandle, "not the store handle");
    auto const decoded = TRY(kernel::validate_syscall(call, args));
    TRY(kernel::check_range(memory, decoded.key, kernel::UserAccess::Read));
    TRY(kernel::check_range(memory, decoded.value, kernel::UserAccess::Read));
    TRY(kernel::check_range(memory, decoded.buffer, kernel::UserAccess::Write));
    TRY(kernel::copy_in(memory, m_key, decoded.key));
    ReadonlyBytes const key(m_key, decoded.key.length);

    switch (call) {
    case abi::Syscall::StorePut: {
        TRY(kernel::copy_in(memory, m_value_buffer.data(), decoded.value));
        ReadonlyBytes const value(m_value_buffer.data(), decoded.value.length);
        TRY(change(m_store, m_transaction_open, [&] { return m_store.put(key, value); }));
        return 0;
    }
    case abi::Syscall::StoreDelete:
        TRY(change(m_store, m_transaction_open, [&] { return m_store.remove(key); }));
        return 0;
    case abi::Syscall::StoreBegin:
        TRY(m_store.begin());
        m_transaction_open = true;
        return 0;
    case abi::Syscall::StoreCommit: {
        // The store closes the transaction whatever commit returns.
        auto committed = m_store.commit();
        m_transaction_open = false;
        TRY(committed);
        return 0;
    }
    case abi::Syscall::StoreSync:
        TRY(m_store.sync());
        return 0;
    case abi::Syscall::StoreGet: {
        uint64_t const room
            = decoded.buffer.length < m_value_buffer.size() ? decoded.buffer.length : m_value_buffer.size();
        size_t const length = TRY(m_store.get(key, m_value_buffer.slice(0, room)));
        TRY(kernel::copy_out(memory, decoded.buffer.address, m_value_buffer.data(), length));
        return static_cast<int64_t>(length);
    }
    default:
        break;
    }
    return Error(ErrorCode::NoSuchCall, "not a store call");
}

int64_t HostStoreCalls::call(abi::Syscall call, const abi::SyscallArgs& args, kernel::UserMemory& memory)
{
    auto result = act(call, args, memory);
    return result.is_error() ? -static_cast<int64_t>(result.error().code()) : result.value();
}

} // namespace ferros::fuzz
