#pragma once
// The system-call entry of the running process (docs/syscalls.md): every number of
// syscalls.def, each validated (handle, rights, ranges, lengths) before it acts.

#include <ferros/abi/syscall.h>
#include <stdint.h>

namespace ferros::kernel {

// `number` is the raw rax: any value, including ones that are no call. Returns >= 0 or
// -ErrorCode. Exit never returns; calls that block return when they are answered.
int64_t handle_syscall(uint64_t number, const abi::SyscallArgs& args);

} // namespace ferros::kernel
