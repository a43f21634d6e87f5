// The IPC benchmark's server: answers every call on boot endpoint 0 with the message it got,
// and exits after answering the message ~0.

#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

extern "C" uint8_t ferros_main(const uint8_t*, uint64_t, const uint8_t*, uint64_t)
{
    using namespace ferros;
    for (;;) {
        uint64_t message = 0;
        if (user::receive(abi::kFirstEndpointHandle, &message, sizeof(message)).is_error())
            return 1;
        if (user::reply(abi::kFirstEndpointHandle, &message, sizeof(message)).is_error())
            return 1;
        if (message == ~0ull)
            return 0;
    }
}
