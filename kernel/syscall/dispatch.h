#pragma once
// The system-call dispatch entry (docs/syscalls.md): the function a user-mode `syscall` will
// reach later, and the one the workload runner calls today. Every argument is checked before
// anything changes; the result is >= 0 on success or -ErrorCode.

#include <ferros/abi/syscall.h>
#include <ferros/storage/store.h>
#include <stdint.h>

namespace ferros::kernel {

// Gives the entry its mounted store; nullptr (no SSD) makes every store call fail with
// -Unsupported. Resets the transaction state: call it once per mount.
void syscall_attach_store(storage::Store* store);

int64_t syscall_dispatch(abi::Syscall call, const abi::SyscallArgs& args);

} // namespace ferros::kernel
