#include "ipc/endpoint.h"
#include "process/scheduler.h"
#include "syscall/errors.h"
#include <ferros/base/verify.h>

namespace ferros::kernel {

namespace {

    Endpoint s_endpoints[kMaxEndpoints];

    void fail_queue(Endpoint& e)
    {
        while (e.queue_head != nullptr) {
            Process* caller = e.queue_head;
            e.queue_head = caller->queue_next;
            caller->queue_next = nullptr;
            wake(*caller, -static_cast<int64_t>(kPeerGone));
        }
        e.queue_tail = nullptr;
    }

} // namespace

ErrorOr<uint32_t> create_endpoint()
{
    for (uint32_t i = 0; i < kMaxEndpoints; ++i) {
        if (!s_endpoints[i].live) {
            s_endpoints[i] = Endpoint();
            s_endpoints[i].live = true;
            return i;
        }
    }
    return Error(ErrorCode::NoMemory, "every endpoint is in use");
}

void pin_endpoint(uint32_t index) { endpoint(index).pinned = true; }

Endpoint& endpoint(uint32_t index)
{
    VERIFY(index < kMaxEndpoints && s_endpoints[index].live);
    return s_endpoints[index];
}

void endpoint_handle_added(uint32_t index, uint32_t rights)
{
    Endpoint& e = endpoint(index);
    if (rights & abi::RightReceive)
        ++e.receive_handles;
    if (rights & abi::RightSend)
        ++e.send_handles;
}

void endpoint_handle_closed(uint32_t index, uint32_t rights)
{
    Endpoint& e = endpoint(index);
    if (rights & abi::RightReceive) {
        --e.receive_handles;
        if (e.receive_handles == 0)
            fail_queue(e);
    }
    if (rights & abi::RightSend)
        --e.send_handles;
    if (e.receive_handles == 0 && e.send_handles == 0 && !e.pinned)
        e = Endpoint();
}

void endpoint_forget(Process& process)
{
    for (auto& e : s_endpoints) {
        if (!e.live)
            continue;
        if (e.waiting_receiver == &process)
            e.waiting_receiver = nullptr;
        Process* previous = nullptr;
        for (Process* p = e.queue_head; p != nullptr; previous = p, p = p->queue_next) {
            if (p != &process)
                continue;
            if (previous)
                previous->queue_next = p->queue_next;
            else
                e.queue_head = p->queue_next;
            if (e.queue_tail == p)
                e.queue_tail = previous;
            p->queue_next = nullptr;
            break;
        }
    }
}

} // namespace ferros::kernel
