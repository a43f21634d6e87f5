// The workload runner: the program the kernel pairs with a workload initrd. It runs every
// operation through real `syscall`s and reports progress with the operation markers, whose
// meaning the power-cut campaign's oracle depends on (workload_runner.h).

#include "workload_runner.h"
#include <ferros/user/console.h>
#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

namespace {

// Seeded values are made here, gets land here.
alignas(8) uint8_t s_scratch[ferros::abi::kMaxValueLength];

} // namespace

extern "C" uint8_t ferros_main(const uint8_t*, uint64_t, const uint8_t* workload, uint64_t workload_length)
{
    using namespace ferros;
    // The kernel has decoded the same bytes before starting the runner; decoding again here is
    // what gives the runner its cursor, and a failure would be a kernel bug.
    auto parsed = abi::Workload::parse(ReadonlyBytes(workload, workload_length));
    if (parsed.is_error()) {
        user::print("ferros: error: runner: bad workload: %s\n", parsed.error().message());
        return 1;
    }
    auto const summary = user::run_workload(
        parsed.value(), [](abi::Syscall call, const abi::SyscallArgs& args) { return user::raw_syscall(call, args); },
        [](abi::MarkerKind kind, uint64_t payload) { (void)user::mark(kind, payload); }, Bytes(s_scratch));
    user::print("ferros: workload done ops=%u errors=%u\n", summary.ops, summary.errors);
    return 0;
}
