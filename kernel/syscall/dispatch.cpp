#include "syscall/dispatch.h"
#include "syscall/validate.h"
#include <ferros/abi/workload.h>

namespace ferros::kernel {

namespace {

    storage::Store* s_store = nullptr;
    Bytes s_value_buffer;
    uint8_t s_key_buffer[abi::kMaxKeyLength];
    // Whether the caller opened a transaction with StoreBegin. The store keeps its own flag;
    // this one decides whether a put or delete joins that transaction or commits on its own.
    bool s_transaction_open = false;

    int64_t result_of(const Error& error) { return -static_cast<int64_t>(error.code()); }

    // A put or delete outside a transaction is a transaction of one operation.
    template<typename Change>
    ErrorOr<void> change(storage::Store& store, Change apply)
    {
        if (s_transaction_open)
            return apply();
        TRY(store.begin());
        if (auto applied = apply(); applied.is_error()) {
            store.abort();
            return applied;
        }
        return store.commit();
    }

    ErrorOr<int64_t> act(storage::Store& store, abi::Syscall call, const StoreCallArgs& args, UserMemory& memory)
    {
        ReadonlyBytes const key(s_key_buffer, args.key.length);
        switch (call) {
        case abi::Syscall::StorePut: {
            TRY(copy_in(memory, s_value_buffer.data(), args.value));
            ReadonlyBytes const value(s_value_buffer.data(), args.value.length);
            TRY(change(store, [&] { return store.put(key, value); }));
            return 0;
        }
        case abi::Syscall::StoreDelete:
            TRY(change(store, [&] { return store.remove(key); }));
            return 0;
        case abi::Syscall::StoreBegin:
            TRY(store.begin());
            s_transaction_open = true;
            return 0;
        case abi::Syscall::StoreCommit: {
            // The store closes the transaction whatever commit returns.
            auto committed = store.commit();
            s_transaction_open = false;
            TRY(committed);
            return 0;
        }
        case abi::Syscall::StoreSync:
            TRY(store.sync());
            return 0;
        case abi::Syscall::StoreGet: {
            uint64_t const room
                = args.buffer.length < s_value_buffer.size() ? args.buffer.length : s_value_buffer.size();
            size_t const length = TRY(store.get(key, s_value_buffer.slice(0, room)));
            TRY(copy_out(memory, args.buffer.address, s_value_buffer.data(), length));
            return static_cast<int64_t>(length);
        }
        default:
            break;
        }
        return Error(kNoSuchCall, "not a store call");
    }

    // Every range is the caller's before anything is copied or changed.
    ErrorOr<void> check_ranges(const StoreCallArgs& args, const UserMemory& memory)
    {
        TRY(check_range(memory, args.key, UserAccess::Read));
        TRY(check_range(memory, args.value, UserAccess::Read));
        TRY(check_range(memory, args.buffer, UserAccess::Write));
        return {};
    }

} // namespace

void syscall_attach_store(storage::Store* store, Bytes value_buffer)
{
    s_store = store;
    s_value_buffer = value_buffer;
    s_transaction_open = false;
}

int64_t syscall_dispatch(abi::Syscall call, const abi::SyscallArgs& args, UserMemory& memory)
{
    auto validated = validate_syscall(call, args);
    if (validated.is_error())
        return result_of(validated.error());
    if (auto ranges = check_ranges(validated.value(), memory); ranges.is_error())
        return result_of(ranges.error());
    if (s_store == nullptr)
        return result_of(Error(ErrorCode::Unsupported, "no store: the machine has no SSD"));
    if (auto key = copy_in(memory, s_key_buffer, validated.value().key); key.is_error())
        return result_of(key.error());
    auto result = act(*s_store, call, validated.value(), memory);
    return result.is_error() ? result_of(result.error()) : result.value();
}

} // namespace ferros::kernel
