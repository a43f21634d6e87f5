#include "syscall/validate.h"
#include <ferros/abi/workload.h>

namespace ferros::kernel {

namespace {

    // Today the caller is the kernel's own workload runner, so a pointer is a kernel address;
    // when user mode arrives, this is where a range check against the caller's mappings goes.
    template<typename T>
    ErrorOr<Span<T>> user_span(uint64_t pointer, uint64_t length)
    {
        if (pointer == 0 && length != 0)
            return Error(ErrorCode::InvalidArgument, "null pointer with a non-zero length");
        return Span<T>(reinterpret_cast<T*>(pointer), length);
    }

    ErrorOr<ReadonlyBytes> key_argument(uint64_t pointer, uint64_t length)
    {
        if (length == 0)
            return Error(ErrorCode::InvalidArgument, "empty key");
        if (length > abi::kMaxKeyLength)
            return Error(ErrorCode::TooBig, "key longer than 255 bytes");
        return user_span<const uint8_t>(pointer, length);
    }

} // namespace

ErrorOr<StoreCallArgs> validate_syscall(abi::Syscall call, const abi::SyscallArgs& args)
{
    StoreCallArgs decoded;
    switch (call) {
    case abi::Syscall::StorePut:
        decoded.key = TRY(key_argument(args.a[0], args.a[1]));
        if (args.a[3] > abi::kMaxValueLength)
            return Error(ErrorCode::TooBig, "value longer than 64 KiB");
        decoded.value = TRY(user_span<const uint8_t>(args.a[2], args.a[3]));
        return decoded;
    case abi::Syscall::StoreDelete:
        decoded.key = TRY(key_argument(args.a[0], args.a[1]));
        return decoded;
    case abi::Syscall::StoreGet:
        decoded.key = TRY(key_argument(args.a[0], args.a[1]));
        decoded.buffer = TRY(user_span<uint8_t>(args.a[2], args.a[3]));
        return decoded;
    case abi::Syscall::StoreBegin:
    case abi::Syscall::StoreCommit:
    case abi::Syscall::StoreSync:
        return decoded;
    }
    return Error(ErrorCode::InvalidArgument, "unknown system call number");
}

} // namespace ferros::kernel
