#include "lib/format.h"
#include <ferros/user/console.h>
#include <ferros/user/syscall.h>

namespace ferros::user {

namespace {

    struct LineBuffer {
        char bytes[abi::kMaxConsoleWrite];
        size_t length { 0 };
    };

} // namespace

void print(const char* format, ...)
{
    LineBuffer buffer;
    kernel::FormatSink sink(
        [](void* context, char c) {
            auto* b = static_cast<LineBuffer*>(context);
            if (b->length < sizeof(b->bytes))
                b->bytes[b->length++] = c;
        },
        &buffer);
    va_list arguments;
    va_start(arguments, format);
    kernel::vformat(sink, format, arguments);
    va_end(arguments);
    (void)console_write(buffer.bytes, buffer.length);
}

} // namespace ferros::user
