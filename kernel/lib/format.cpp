#include "lib/format.h"
#include <stdint.h>

namespace ferros::kernel {

namespace {

    void put_string(const FormatSink& sink, const char* characters, size_t length, size_t width)
    {
        for (size_t i = length; i < width; ++i)
            sink.put(' ');
        for (size_t i = 0; i < length; ++i)
            sink.put(characters[i]);
    }

    void put_unsigned(
        const FormatSink& sink, uint64_t value, unsigned radix, bool upper, bool negative, size_t width, char pad)
    {
        const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        char buffer[24];
        size_t length = 0;
        do {
            buffer[length++] = digits[value % radix];
            value /= radix;
        } while (value != 0);
        size_t total = length + (negative ? 1 : 0);
        if (negative && pad == '0')
            sink.put('-');
        for (size_t i = total; i < width; ++i)
            sink.put(pad);
        if (negative && pad != '0')
            sink.put('-');
        while (length > 0)
            sink.put(buffer[--length]);
    }

} // namespace

void vformat(const FormatSink& sink, const char* format, va_list arguments)
{
    for (const char* p = format; *p != '\0'; ++p) {
        if (*p != '%') {
            sink.put(*p);
            continue;
        }
        ++p;
        char pad = ' ';
        if (*p == '0') {
            pad = '0';
            ++p;
        }
        size_t width = 0;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + static_cast<size_t>(*p++ - '0');
        bool has_precision = false;
        size_t precision = 0;
        if (p[0] == '.' && p[1] == '*') {
            has_precision = true;
            precision = static_cast<size_t>(va_arg(arguments, int));
            p += 2;
        }
        int longs = 0;
        while (*p == 'l' || *p == 'z') {
            longs += *p == 'z' ? 2 : 1;
            ++p;
        }
        // Varargs promote everything narrower than int; read what the caller really passed.
        auto read_unsigned = [&]() -> uint64_t {
            if (longs == 0)
                return va_arg(arguments, unsigned);
            return longs == 1 ? va_arg(arguments, unsigned long) : va_arg(arguments, unsigned long long);
        };
        auto read_signed = [&]() -> int64_t {
            if (longs == 0)
                return va_arg(arguments, int);
            return longs == 1 ? va_arg(arguments, long) : va_arg(arguments, long long);
        };
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t value = read_signed();
            uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
            put_unsigned(sink, magnitude, 10, false, value < 0, width, pad);
            break;
        }
        case 'u':
            put_unsigned(sink, read_unsigned(), 10, false, false, width, pad);
            break;
        case 'x':
        case 'X':
            put_unsigned(sink, read_unsigned(), 16, *p == 'X', false, width, pad);
            break;
        case 'p':
            sink.put('0');
            sink.put('x');
            put_unsigned(sink, reinterpret_cast<uintptr_t>(va_arg(arguments, void*)), 16, false, false, width, pad);
            break;
        case 'c':
            sink.put(static_cast<char>(va_arg(arguments, int)));
            break;
        case 's': {
            const char* string = va_arg(arguments, const char*);
            if (string == nullptr)
                string = "(null)";
            size_t length = 0;
            while ((!has_precision || length < precision) && string[length] != '\0')
                ++length;
            put_string(sink, string, length, width);
            break;
        }
        case '%':
            sink.put('%');
            break;
        case '\0':
            // A lone '%' at the end: print it rather than read past the terminator.
            sink.put('%');
            return;
        default:
            // An unknown conversion is printed as written, so a bad format is visible, not lost.
            sink.put('%');
            sink.put(*p);
            break;
        }
    }
}

} // namespace ferros::kernel
