#pragma once
// A non-owning, not necessarily NUL-terminated view of characters. The command line is parsed
// in place (there is no allocator), so tokens are views into the firmware's string.

#include <stddef.h>

namespace ferros::kernel {

class StringView {
public:
    constexpr StringView() = default;
    constexpr StringView(const char* characters, size_t length)
        : m_characters(characters)
        , m_length(length)
    {
    }
    // From a string literal or another NUL-terminated string.
    constexpr StringView(const char* c_string)
        : m_characters(c_string)
        , m_length(0)
    {
        while (c_string[m_length] != '\0')
            ++m_length;
    }

    constexpr const char* characters() const { return m_characters; }
    constexpr size_t length() const { return m_length; }
    constexpr bool is_empty() const { return m_length == 0; }
    constexpr char operator[](size_t i) const { return m_characters[i]; }

    constexpr StringView substring(size_t start, size_t length) const
    {
        return StringView(m_characters + start, length);
    }
    constexpr StringView substring(size_t start) const { return substring(start, m_length - start); }

    constexpr bool starts_with(StringView prefix) const
    {
        return prefix.m_length <= m_length && substring(0, prefix.m_length) == prefix;
    }

    // Index of the first `c`, or length() when there is none.
    constexpr size_t find(char c) const
    {
        size_t i = 0;
        while (i < m_length && m_characters[i] != c)
            ++i;
        return i;
    }

    constexpr bool operator==(StringView other) const
    {
        if (m_length != other.m_length)
            return false;
        for (size_t i = 0; i < m_length; ++i) {
            if (m_characters[i] != other.m_characters[i])
                return false;
        }
        return true;
    }

private:
    const char* m_characters { "" };
    size_t m_length { 0 };
};

} // namespace ferros::kernel
