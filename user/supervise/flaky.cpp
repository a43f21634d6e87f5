// An echo server on boot endpoint 0 that crashes on the request "die" after taking it, and
// spins in user mode for good on "spin": the supervisor tests' request in flight when its
// server dies or stops answering (the caller gets ServerRestarted either way; a spinning server
// is ended by its supervisor's watchdog).

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
        if (received.value() == 4 && message[0] == 's' && message[1] == 'p' && message[2] == 'i' && message[3] == 'n') {
            // No system call ever again: only the timer sees it. The empty asm keeps the
            // compiler from treating the loop as undefined behaviour and removing it.
            for (;;)
                asm volatile("");
        }
        (void)user::reply(kEndpoint, message, received.value());
    }
}
