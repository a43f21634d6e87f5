#pragma once
// Argument checks of the store calls (docs/syscalls.md), apart from acting on them, so that a
// rejected call provably changes nothing (seL4's decode-then-invoke) and the checks can be
// tested on the host without a store.

#include "syscall/user_memory.h"
#include <ferros/abi/syscall.h>
#include <ferros/base/error_or.h>

namespace ferros::kernel {

// The arguments of a store call, as ranges of the caller's memory. Fields a call does not take
// stay empty.
struct StoreCallArgs {
    UserRange key;
    UserRange value;
    UserRange buffer;
};

// Checks the shape of every argument `call` takes (the store handle, args.a[0], is the
// caller's business and already checked; the rest start at a[1]) and decodes them. Errors:
// kNoSuchCall (not a store call), InvalidArgument (a key of length 0), TooBig (a key over 255
// bytes, a value over 64 KiB). Whether the ranges are the caller's is checked next, by the
// dispatch. Arguments a call does not take are ignored.
ErrorOr<StoreCallArgs> validate_syscall(abi::Syscall call, const abi::SyscallArgs& args);

} // namespace ferros::kernel
