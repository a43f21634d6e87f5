// The supervisor (MINIX's reincarnation server, Hubris's task 0): it starts one server, learns
// through Wait when the server exits or faults, and starts it again, with bounded retries and a
// backoff between them; at the limit it gives up cleanly, with a marker and a console line.
// docs/kernel.md, "The supervisor". Its argument bytes are the server program's name.
//
// It holds a Receive handle to the server's endpoint (the kernel gives it the store endpoint's;
// a bundle gives it others) and never receives on it: while it lives, the endpoint has a
// receiver, so callers wait in the queue for the restarted server instead of failing, and a
// request the dead server had taken fails with ServerRestarted. When it gives up it exits, the
// endpoint loses its last receiver, and every waiting caller gets PeerGone.

#include <ferros/abi/bundle.h>
#include <ferros/abi/syscall.h>
#include <ferros/user/console.h>
#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

namespace {

using namespace ferros;

// At most this many restarts after the first start; then the supervisor gives up.
constexpr uint32_t kMaxRestarts = 3;
// The wait before restart n (1, 2, ...) is kBackoff << (n - 1) instructions of virtual time: 100 k,
// 200 k, 400 k. The clock is virtual (instructions under icount), so the backoff is as
// deterministic as everything else; the supervisor yields while it waits, so every other
// process runs meanwhile.
constexpr uint64_t kBackoff = 100'000;
// A server that exits with a status in 1..kLastPermanentStatus reports a failure no restart can
// mend (the store server: 1 mount failed, 2 self-check failed; its device is damaged). Exit 0 is
// a server that ended on purpose. Anything else (a failed VERIFY, 255; a CPU exception,
// 256 + vector; stuck, ended by the watchdog, 512) is a crash: restart.
constexpr uint64_t kLastPermanentStatus = 63;

void back_off(uint32_t restart)
{
    uint64_t const deadline = user::time() + (kBackoff << (restart - 1));
    while (user::time() < deadline)
        user::yield();
}

uint8_t give_up(const char* name, uint32_t starts, uint64_t status)
{
    (void)user::mark(abi::MarkerKind::ServerGaveUp, starts);
    user::print("ferros: supervisor: gave up on %s after %u restarts (last status %lu)\n", name, starts - 1, status);
    return 3;
}

} // namespace

extern "C" uint8_t ferros_main(const uint8_t* args, uint64_t args_length, const uint8_t*, uint64_t)
{
    char name[abi::kMaxProgramName + 1] = {};
    if (args_length == 0 || args_length > abi::kMaxProgramName) {
        user::print("ferros: error: supervisor: the argument is the server's name (1-15 characters)\n");
        return 4;
    }
    __builtin_memcpy(name, args, args_length);
    uint64_t status = 0;
    for (uint32_t starts = 1;; ++starts) {
        auto server = user::spawn(name, args_length);
        if (server.is_error()) {
            // A start that failed counts as a start that died at once.
            status = 0x1000 + static_cast<uint64_t>(server.error().code());
        } else {
            if (starts > 1)
                (void)user::mark(abi::MarkerKind::ServerRestarted, starts - 1);
            // The watchdog: a server stuck for good (hung, or blocked on what cannot come) while
            // nothing else can run is ended by the kernel (status 512) and restarted like a crash.
            auto waited = user::wait(server.value(), abi::kWaitWatchdog);
            status = waited.is_error() ? 0x1000 + static_cast<uint64_t>(waited.error().code()) : waited.value();
            if (status == 0)
                return 0;
            if (status <= kLastPermanentStatus) {
                user::print("ferros: supervisor: %s failed for good (status %lu); not restarted\n", name, status);
                return static_cast<uint8_t>(status);
            }
        }
        if (starts > kMaxRestarts)
            return give_up(name, starts, status);
        user::print("ferros: supervisor: %s ended (status %lu); restart %u of %u after %lu instructions\n", name,
            status, starts, kMaxRestarts, kBackoff << (starts - 1));
        back_off(starts);
    }
}
