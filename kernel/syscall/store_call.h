#pragma once
// The store calls (docs/syscalls.md) in a kernel that keeps no store: each is checked here
// (validate.cpp, then the caller's ranges), then sent to the store server as a Call on the store
// endpoint (label = the call's number, message = the key, the value or buffer lent), and the
// server's 8-byte reply is the call's result.

#include "process/process.h"
#include <ferros/abi/syscall.h>
#include <ferros/base/error_or.h>

namespace ferros::kernel {

// `call` is one of StorePut .. StoreGet. Errors: the handle's (BadHandle, AccessDenied), the
// arguments' (InvalidArgument, TooBig, BadAddress), the rendezvous's (PeerGone), Io (a reply
// that is not 8 bytes, or a length StoreGet's buffer cannot hold: the server is broken), and
// whatever the server answers.
ErrorOr<int64_t> store_call(Process& self, abi::Syscall call, const abi::SyscallArgs& args);

// A store server died (the scheduler's release): the transactions its clients had open died
// with it, and their next Put, Delete or Commit answer ServerRestarted instead of reaching the
// restarted server, which would commit each on its own (a part of a transaction made visible).
void store_server_died();

} // namespace ferros::kernel
