#pragma once
// The IPC system calls (docs/syscalls.md): Call, Receive and Reply, synchronous and copied
// through the kernel, and the rendezvous the store calls use to reach the store server.

#include "process/process.h"
#include <ferros/abi/syscall.h>
#include <ferros/base/error_or.h>

namespace ferros::kernel {

ErrorOr<int64_t> ipc_call(Process& self, const abi::SyscallArgs& args);
ErrorOr<int64_t> ipc_receive(Process& self, const abi::SyscallArgs& args);
ErrorOr<int64_t> ipc_reply(Process& self, const abi::SyscallArgs& args);

// The rendezvous of a call whose message is already in `self.message` (its length, label and
// lent memory set): hands it to a receiver of endpoint `index`, blocks until the reply is in
// `self.message`, and returns the reply's length. Errors: PeerGone (nobody can receive, or the
// receiver died before replying), TooBig (the message exceeds the receiver's buffer, or the
// reply `reply_capacity`).
ErrorOr<uint64_t> call_endpoint(Process& self, uint32_t index, uint64_t reply_capacity);

} // namespace ferros::kernel
