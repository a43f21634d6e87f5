#pragma once
// Endpoints: the rendezvous of synchronous IPC (seL4-style call/receive/reply). An endpoint
// holds no messages: a caller waits in its queue until a receiver takes its message, then for
// the reply; the message itself waits in the caller's Process. An endpoint lives while a
// handle names it; with no Receive handle left it is dead, and every call to it fails with
// kPeerGone (the seam issue 14's supervisor builds on: a dead server's callers learn it).

#include "process/process.h"
#include <ferros/base/error_or.h>
#include <stddef.h>
#include <stdint.h>

namespace ferros::kernel {

constexpr size_t kMaxEndpoints = 16;

struct Endpoint {
    bool live { false };
    bool pinned { false }; // the kernel's own endpoint (the store's): it outlives every handle
    uint32_t receive_handles { 0 };
    uint32_t send_handles { 0 };
    Process* waiting_receiver { nullptr };
    Process* queue_head { nullptr }; // callers waiting for a receiver, oldest first
    Process* queue_tail { nullptr };
};

ErrorOr<uint32_t> create_endpoint();
// Keeps endpoint `index` alive when its last handle closes: the store endpoint stays the same
// across store servers, so clients keep their handles when a server dies.
void pin_endpoint(uint32_t index);
Endpoint& endpoint(uint32_t index);

// A handle with `rights` to endpoint `index` was installed or closed. Closing the last Receive
// handle fails every queued caller with kPeerGone; closing the last handle frees the endpoint.
void endpoint_handle_added(uint32_t index, uint32_t rights);
void endpoint_handle_closed(uint32_t index, uint32_t rights);

// Takes a process that is dying out of every endpoint's queue and receiver slot.
void endpoint_forget(Process& process);

} // namespace ferros::kernel
