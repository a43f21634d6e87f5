#include "store_service.h"
#include <ferros/abi/workload.h>

namespace ferros::user {

namespace {

    int64_t result_of(const Error& error) { return -static_cast<int64_t>(error.code()); }

    bool is_store_call(uint64_t label)
    {
        return label >= static_cast<uint64_t>(abi::Syscall::StorePut)
            && label <= static_cast<uint64_t>(abi::Syscall::StoreGet);
    }

} // namespace

// A put or delete outside the caller's transaction is a transaction of one operation.
template<typename Change>
ErrorOr<void> StoreService::change(uint64_t client, Change apply)
{
    if (m_transaction_owner != 0 && m_transaction_owner == client)
        return apply();
    TRY(m_store.begin());
    if (auto applied = apply(); applied.is_error()) {
        m_store.abort();
        return applied;
    }
    return m_store.commit();
}

ErrorOr<int64_t> StoreService::act(abi::Syscall call, uint64_t client, ReadonlyBytes key, LentMemory& lent)
{
    switch (call) {
    case abi::Syscall::StorePut: {
        if (lent.length() > m_value_buffer.size())
            return Error(ErrorCode::TooBig, "value longer than 64 KiB");
        Bytes const value = m_value_buffer.slice(0, lent.length());
        TRY(lent.read(value));
        TRY(change(client, [&] { return m_store.put(key, value); }));
        return 0;
    }
    case abi::Syscall::StoreDelete:
        TRY(change(client, [&] { return m_store.remove(key); }));
        return 0;
    case abi::Syscall::StoreBegin:
        TRY(m_store.begin());
        m_transaction_owner = client;
        return 0;
    case abi::Syscall::StoreCommit: {
        if (m_transaction_owner == 0 || m_transaction_owner != client)
            return Error(ErrorCode::NoTransaction, "the caller has no transaction open");
        // The store closes the transaction whatever commit returns.
        auto committed = m_store.commit();
        m_transaction_owner = 0;
        TRY(committed);
        return 0;
    }
    case abi::Syscall::StoreSync:
        // The reply goes only after sync returned, and sync returns after the FLUSH.
        TRY(m_store.sync());
        return 0;
    case abi::Syscall::StoreGet: {
        uint64_t const room = lent.length() < m_value_buffer.size() ? lent.length() : m_value_buffer.size();
        size_t const length = TRY(m_store.get(key, m_value_buffer.slice(0, room)));
        TRY(lent.write(m_value_buffer.slice(0, length)));
        return static_cast<int64_t>(length);
    }
    default:
        break;
    }
    return Error(ErrorCode::NoSuchCall, "not a store call");
}

int64_t StoreService::handle(uint64_t label, uint64_t client, ReadonlyBytes key, LentMemory& lent)
{
    // The kernel checked the call before sending it; the server checks again what it relies on.
    if (!is_store_call(label))
        return result_of(Error(ErrorCode::NoSuchCall, "not a store call"));
    auto const call = static_cast<abi::Syscall>(label);
    bool const takes_key
        = call == abi::Syscall::StorePut || call == abi::Syscall::StoreDelete || call == abi::Syscall::StoreGet;
    if (takes_key && key.empty())
        return result_of(Error(ErrorCode::InvalidArgument, "empty key"));
    if (takes_key && key.size() > abi::kMaxKeyLength)
        return result_of(Error(ErrorCode::TooBig, "key longer than 255 bytes"));
    auto result = act(call, client, key, lent);
    return result.is_error() ? result_of(result.error()) : result.value();
}

} // namespace ferros::user
