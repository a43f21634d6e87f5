// An echo server on boot endpoint 0 that crashes on the request "die" after taking it: the
// supervisor test's request in flight when its server dies (the caller gets ServerRestarted).

#include <ferros/abi/syscall.h>
#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

extern "C" uint8_t ferros_main(const uint8_t*, uint64_t, const uint8_t*, uint64_t)
{
    using namespace ferros;
    constexpr abi::Handle kEndpoint = abi::kFirstEndpointHandle;
    uint8_t message[abi::kMaxMessageLength];
    for (;;) {
        auto received = user::receive(kEndpoint, message, sizeof(message));
        if (received.is_error())
            continue;
        if (received.value() == 3 && message[0] == 'd' && message[1] == 'i' && message[2] == 'e')
            __builtin_trap();
        (void)user::reply(kEndpoint, message, received.value());
    }
}
