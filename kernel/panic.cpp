#include "panic.h"
#include "arch/platform.h"
#include "console.h"
#include "lib/format.h"
#include "marker.h"
#include <ferros/base/verify.h>

namespace ferros::kernel {

namespace {
    // Not atomic: one CPU, and a fault inside the fault path runs on the same CPU after the store.
    volatile bool s_in_fatal_path = false;
} // namespace

bool enter_fatal_path()
{
    if (s_in_fatal_path)
        return true;
    s_in_fatal_path = true;
    return false;
}

void fatal_exit(uint64_t payload)
{
    store_marker(abi::MarkerKind::Fault, payload);
    arch::exit_machine(abi::ExitValue::Fault);
}

void panic(const char* format, ...)
{
    if (enter_fatal_path()) {
        kprintf("ferros: panic: nested panic\n");
        fatal_exit(kPanicMarkerPayload);
    }
    kprintf("ferros: panic: ");
    FormatSink sink([](void*, char c) { arch::console_put(c); }, nullptr);
    va_list arguments;
    va_start(arguments, format);
    vformat(sink, format, arguments);
    va_end(arguments);
    kprintf("\n");
    arch::print_backtrace_here();
    fatal_exit(kPanicMarkerPayload);
}

} // namespace ferros::kernel

// base/include/ferros/base/verify.h: each build supplies the failure handler.
extern "C" void ferros_verify_failed(const char* expression, const char* file, int line)
{
    ferros::kernel::panic("VERIFY failed: %s at %s:%d", expression, file, line);
}
