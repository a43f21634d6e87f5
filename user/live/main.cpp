// The live checker (ferros.until=live, docs/kernel.md "The continuation after recovery"): the
// kernel starts it past `ready` with a store handle that carries RightRecovery, which no
// bundle can grant. Its one StoreLive call makes the store server run R14's continuation on the
// store it just recovered and check what the continuation left; the server says on the console
// what it did or why it failed, and its answer is this program's exit status, which the kernel
// turns into the machine's exit value.

#include <ferros/base/error.h>
#include <ferros/user/console.h>
#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

using namespace ferros;

extern "C" uint8_t ferros_main(const uint8_t*, uint64_t, const uint8_t*, uint64_t)
{
    auto answered = user::checked(user::raw_syscall(static_cast<uint64_t>(abi::Syscall::StoreLive), abi::kStoreHandle));
    if (answered.is_error()) {
        // A server that died on the continuation answers ServerRestarted: it did not keep working.
        user::print("ferros: live: StoreLive failed: %s\n", error_name(answered.error().code()));
        return 1;
    }
    return 0;
}
