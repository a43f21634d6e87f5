#include "syscall/dispatch.h"
#include "syscall/validate.h"

namespace ferros::kernel {

namespace {

    storage::Store* s_store = nullptr;
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

    ErrorOr<int64_t> act(storage::Store& store, abi::Syscall call, const StoreCallArgs& args)
    {
        switch (call) {
        case abi::Syscall::StorePut:
            TRY(change(store, [&] { return store.put(args.key, args.value); }));
            return 0;
        case abi::Syscall::StoreDelete:
            TRY(change(store, [&] { return store.remove(args.key); }));
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
        case abi::Syscall::StoreGet:
            return static_cast<int64_t>(TRY(store.get(args.key, args.buffer)));
        }
        return Error(ErrorCode::InvalidArgument, "unknown system call number");
    }

} // namespace

void syscall_attach_store(storage::Store* store)
{
    s_store = store;
    s_transaction_open = false;
}

int64_t syscall_dispatch(abi::Syscall call, const abi::SyscallArgs& args)
{
    auto validated = validate_syscall(call, args);
    if (validated.is_error())
        return result_of(validated.error());
    if (s_store == nullptr)
        return result_of(Error(ErrorCode::Unsupported, "no store: the machine has no SSD"));
    auto result = act(*s_store, call, validated.value());
    return result.is_error() ? result_of(result.error()) : result.value();
}

} // namespace ferros::kernel
