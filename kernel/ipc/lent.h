#pragma once
// ReadLent and WriteLent (docs/syscalls.md): while a receiver owes a caller its reply, it may
// copy from (and, if the caller allowed it, into) the memory the caller lent for the call. The
// store calls lend the value (StorePut) or the buffer (StoreGet): values of up to 64 KiB travel
// this way, messages stay at most 256 bytes. MINIX's safe copies, without the grant table.

#include "process/process.h"
#include <ferros/abi/syscall.h>
#include <ferros/base/error_or.h>

namespace ferros::kernel {

ErrorOr<int64_t> read_lent(Process& self, const abi::SyscallArgs& args);
ErrorOr<int64_t> write_lent(Process& self, const abi::SyscallArgs& args);

} // namespace ferros::kernel
