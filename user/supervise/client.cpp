// The client of the supervisor tests, on boot endpoint 0 (docs/kernel.md, the supervisor):
//   "flaky": a request the server dies on fails with ServerRestarted, the next one is answered
//            by the restarted server;
//   "spin":  the same with a request the server spins on (its supervisor's watchdog ends it);
//   "crash": a request to a server that never comes up fails with PeerGone once the supervisor
//            has given up.
// Prints `ferros: client: ...` lines the test reads, and `ferros: client: FAIL ...` on a wrong
// answer.

#include <ferros/abi/syscall.h>
#include <ferros/user/console.h>
#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

namespace {

using namespace ferros;
constexpr abi::Handle kEndpoint = abi::kFirstEndpointHandle;

bool same(const uint8_t* a, const char* b, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        if (a[i] != static_cast<uint8_t>(b[i]))
            return false;
    }
    return true;
}

const char* outcome(const ErrorOr<uint64_t>& result)
{
    return result.is_error() ? error_name(result.error().code()) : "answered";
}

} // namespace

extern "C" uint8_t ferros_main(const uint8_t* args, uint64_t args_length, const uint8_t*, uint64_t)
{
    uint8_t reply[16];
    bool const spin = args_length == 4 && same(args, "spin", 4);
    if (spin || (args_length == 5 && same(args, "flaky", 5))) {
        auto lost = spin ? user::call(kEndpoint, "spin", 4, reply, sizeof(reply))
                         : user::call(kEndpoint, "die", 3, reply, sizeof(reply));
        user::print("ferros: client: request in flight: %s\n", outcome(lost));
        auto again = user::call(kEndpoint, "ping", 4, reply, sizeof(reply));
        user::print("ferros: client: request after the restart: %s\n", outcome(again));
        bool const right = !again.is_error() && again.value() == 4 && same(reply, "ping", 4);
        bool const restarted = lost.is_error() && lost.error().code() == ErrorCode::ServerRestarted;
        if (!right || !restarted) {
            user::print("ferros: client: FAIL\n");
            return 1;
        }
        return 0;
    }
    auto result = user::call(kEndpoint, "ping", 4, reply, sizeof(reply));
    user::print("ferros: client: request to a server that never came up: %s\n", outcome(result));
    if (!result.is_error() || result.error().code() != ErrorCode::PeerGone) {
        user::print("ferros: client: FAIL\n");
        return 1;
    }
    return 0;
}
