// The bystander runs beside the hostile program and must finish normally whatever it does:
// a StoreLive it has no right to, store round trips, and stretches of computation long enough that the timer preempts
// it. Prints `ferros: bystander: done rounds=N sum=S` (S is a function of the work alone).

#include <ferros/base/rng.h>
#include <ferros/user/console.h>
#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

extern "C" uint8_t ferros_main(const uint8_t*, uint64_t, const uint8_t*, uint64_t)
{
    using namespace ferros;
    constexpr uint32_t kRounds = 20;
    // Granted the store like any client, it lacks the right to StoreLive (RightRecovery), which
    // only the kernel's live checker holds: the continuation would write keys of its own.
    int64_t const live = user::raw_syscall(static_cast<uint64_t>(abi::Syscall::StoreLive), abi::kStoreHandle);
    if (live != -static_cast<int64_t>(ErrorCode::AccessDenied)) {
        user::print("ferros: bystander: FAIL StoreLive answered %ld, not AccessDenied\n", live);
        return 1;
    }
    uint64_t sum = 0;
    for (uint32_t round = 0; round < kRounds; ++round) {
        // About 1.5 M instructions of arithmetic: longer than a timer period (1 M).
        Rng rng(round);
        for (int i = 0; i < 200'000; ++i)
            sum += rng.next() >> 60;
        uint8_t key[2] = { 'b', static_cast<uint8_t>('a' + round) };
        uint64_t value = sum;
        auto put = user::checked(user::raw_syscall(static_cast<uint64_t>(abi::Syscall::StorePut), abi::kStoreHandle,
            user::address(key), 2, user::address(&value), sizeof(value)));
        uint64_t back = 0;
        auto get = user::checked(user::raw_syscall(static_cast<uint64_t>(abi::Syscall::StoreGet), abi::kStoreHandle,
            user::address(key), 2, user::address(&back), sizeof(back)));
        if (put.is_error() || get.is_error() || back != value) {
            user::print("ferros: bystander: FAIL round %u\n", round);
            return 1;
        }
    }
    user::print("ferros: bystander: done rounds=%u sum=%lu\n", kRounds, sum);
    return 0;
}
