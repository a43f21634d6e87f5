#include "console.h"
#include "arch/platform.h"
#include "lib/format.h"

namespace ferros::kernel {

void kprintf(const char* format, ...)
{
    FormatSink sink([](void*, char c) { arch::console_put(c); }, nullptr);
    va_list arguments;
    va_start(arguments, format);
    vformat(sink, format, arguments);
    va_end(arguments);
}

} // namespace ferros::kernel
