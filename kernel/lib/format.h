#pragma once
// A small printf: enough for the kernel's serial lines, with the compiler checking every call's
// arguments against its format (the `format` attribute). Conversions: %d %i %u %x %X %p %s %c %%,
// length modifiers l, ll, z, zero padding and a field width ("%016lx"), and "%.*s" for a
// StringView's (length, characters).

#include <stdarg.h>
#include <stddef.h>

namespace ferros::kernel {

// Where formatted characters go.
class FormatSink {
public:
    using PutFunction = void (*)(void* context, char c);
    constexpr FormatSink(PutFunction put, void* context)
        : m_put(put)
        , m_context(context)
    {
    }
    void put(char c) const { m_put(m_context, c); }

private:
    PutFunction m_put;
    void* m_context;
};

void vformat(const FormatSink& sink, const char* format, va_list arguments);

} // namespace ferros::kernel
