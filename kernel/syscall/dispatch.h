#pragma once
// The store calls (docs/syscalls.md): validate, check the caller's ranges, copy in, act on the
// store, copy out. The store lives in the kernel in this version; this file is the seam that
// issue 14 replaces with IPC to a store server (the calls keep their numbers and meaning).
// The result is >= 0 on success or -ErrorCode.

#include "syscall/user_memory.h"
#include <ferros/abi/syscall.h>
#include <ferros/base/bytes.h>
#include <ferros/storage/store.h>
#include <stdint.h>

namespace ferros::kernel {

// Gives the calls their mounted store and a buffer of abi::kMaxValueLength bytes for values on
// their way in or out; nullptr (no SSD) makes every store call fail with -Unsupported. Resets
// the transaction state: call it once per mount.
void syscall_attach_store(storage::Store* store, Bytes value_buffer);

// `args.a[0]` is the store handle (already checked by the caller); the rest as documented.
int64_t syscall_dispatch(abi::Syscall call, const abi::SyscallArgs& args, UserMemory& memory);

} // namespace ferros::kernel
