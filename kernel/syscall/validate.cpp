#include "syscall/validate.h"
#include <ferros/abi/workload.h>

namespace ferros::kernel {

namespace {

    ErrorOr<UserRange> key_argument(uint64_t pointer, uint64_t length)
    {
        if (length == 0)
            return Error(ErrorCode::InvalidArgument, "empty key");
        if (length > abi::kMaxKeyLength)
            return Error(ErrorCode::TooBig, "key longer than 255 bytes");
        return UserRange { pointer, length };
    }

} // namespace

ErrorOr<StoreCallArgs> validate_syscall(abi::Syscall call, const abi::SyscallArgs& args)
{
    StoreCallArgs decoded;
    switch (call) {
    case abi::Syscall::StorePut:
        decoded.key = TRY(key_argument(args.a[1], args.a[2]));
        if (args.a[4] > abi::kMaxValueLength)
            return Error(ErrorCode::TooBig, "value longer than 64 KiB");
        decoded.value = UserRange { args.a[3], args.a[4] };
        return decoded;
    case abi::Syscall::StoreDelete:
        decoded.key = TRY(key_argument(args.a[1], args.a[2]));
        return decoded;
    case abi::Syscall::StoreGet:
        decoded.key = TRY(key_argument(args.a[1], args.a[2]));
        decoded.buffer = UserRange { args.a[3], args.a[4] };
        return decoded;
    case abi::Syscall::StoreBegin:
    case abi::Syscall::StoreCommit:
    case abi::Syscall::StoreSync:
    case abi::Syscall::StoreLive:
        return decoded;
    default:
        break;
    }
    return Error(kNoSuchCall, "not a store call");
}

} // namespace ferros::kernel
