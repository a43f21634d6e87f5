#pragma once
// Argument checks of the system calls (docs/syscalls.md), apart from acting on them, so that a
// rejected call provably changes nothing (seL4's decode-then-invoke) and the checks can be
// tested on the host without a store.

#include <ferros/abi/syscall.h>
#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>

namespace ferros::kernel {

// The arguments of a store call, as typed views. Fields a call does not take stay empty.
struct StoreCallArgs {
    ReadonlyBytes key;
    ReadonlyBytes value;
    Bytes buffer;
};

// Checks every argument `call` takes and decodes them. Errors: InvalidArgument (an unknown
// call number, a key of length 0, a null pointer with a non-zero length), TooBig (a key over
// 255 bytes, a value over 64 KiB). Arguments a call does not take are ignored.
ErrorOr<StoreCallArgs> validate_syscall(abi::Syscall call, const abi::SyscallArgs& args);

} // namespace ferros::kernel
