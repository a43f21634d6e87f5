// The kernel benchmarks (docs/kernel.md, costs): the null system call, the IPC round trip
// (Call to the echo program and its Reply), and the context switch (two processes yielding to
// each other). Each is timed with the Time call, whose clock under -icount counts retired
// instructions, so the figures are instructions per operation and the same on every run.
// The argument bytes are the iteration count in decimal (default 1000), optionally followed by
// a space and the one benchmark to run (null-syscall, ipc-round-trip, context-switch), so that
// the host can time each one's wall time alone.
//
// Prints one line per benchmark: `ferros: bench NAME iterations=N instructions=I per-op=P`.

#include <ferros/user/console.h>
#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

namespace {

using namespace ferros;

uint64_t parse_count(const uint8_t* args, uint64_t length)
{
    uint64_t count = 0;
    for (uint64_t i = 0; i < length && args[i] >= '0' && args[i] <= '9'; ++i)
        count = count * 10 + (args[i] - '0');
    return count == 0 ? 1000 : count;
}

// Whether the arguments select `name` (or select nothing, which runs every benchmark).
bool selected(const uint8_t* args, uint64_t length, const char* name)
{
    uint64_t i = 0;
    while (i < length && args[i] != ' ')
        ++i;
    if (i == length)
        return true;
    ++i;
    for (uint64_t j = 0; name[j] != 0; ++j, ++i) {
        if (i >= length || args[i] != static_cast<uint8_t>(name[j]))
            return false;
    }
    return i == length;
}

void report(const char* name, uint64_t iterations, uint64_t instructions, uint64_t divisor)
{
    user::print("ferros: bench %s iterations=%lu instructions=%lu per-op=%lu\n", name, iterations, instructions,
        instructions / divisor);
}

void null_syscall(uint64_t iterations)
{
    uint64_t const start = user::time();
    for (uint64_t i = 0; i < iterations; ++i)
        (void)user::raw_syscall(static_cast<uint64_t>(abi::Syscall::Time));
    report("null-syscall", iterations, user::time() - start, iterations);
}

void ipc_round_trip(uint64_t iterations)
{
    auto echo = user::spawn("echo", 4);
    if (echo.is_error())
        return;
    uint64_t message = 0;
    uint64_t answer = 0;
    // One call first, so that the echo program has started and waits in Receive.
    (void)user::call(abi::kFirstEndpointHandle, &message, sizeof(message), &answer, sizeof(answer));
    uint64_t const start = user::time();
    for (uint64_t i = 0; i < iterations; ++i)
        (void)user::call(abi::kFirstEndpointHandle, &message, sizeof(message), &answer, sizeof(answer));
    report("ipc-round-trip", iterations, user::time() - start, iterations);
    message = ~0ull; // the echo program exits on this
    (void)user::call(abi::kFirstEndpointHandle, &message, sizeof(message), &answer, sizeof(answer));
    (void)user::wait(echo.value());
}

void context_switch(uint64_t iterations)
{
    auto yielder = user::spawn("yielder", 7);
    if (yielder.is_error())
        return;
    user::yield(); // let it start
    uint64_t const start = user::time();
    for (uint64_t i = 0; i < iterations; ++i)
        user::yield();
    // Each yield of either side is one switch (and one system call).
    report("context-switch", iterations, user::time() - start, 2 * iterations);
    (void)user::wait(yielder.value());
}

} // namespace

extern "C" uint8_t ferros_main(const uint8_t* args, uint64_t length, const uint8_t*, uint64_t)
{
    uint64_t const iterations = parse_count(args, length);
    if (selected(args, length, "null-syscall"))
        null_syscall(iterations);
    if (selected(args, length, "ipc-round-trip"))
        ipc_round_trip(iterations);
    if (selected(args, length, "context-switch"))
        context_switch(iterations);
    return 0;
}
