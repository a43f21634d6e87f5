#pragma once
// Error values for freestanding code. An Error is a code from errors.def plus an optional
// static context string; it never owns memory, so it can be returned from the kernel, the
// ring store and host tools alike.

#include <stdint.h>

namespace ferros {

enum class ErrorCode : uint16_t {
#define FERROS_ERROR(name, number, message) name = number,
#include <ferros/base/errors.def>
#undef FERROS_ERROR
};

// The message of the error table for `code`; "unknown error" for a value not in the table.
const char* error_message(ErrorCode code);
// The table name of `code` ("NoSpace"); "Unknown" for a value not in the table.
const char* error_name(ErrorCode code);

class Error {
public:
    constexpr Error(ErrorCode code, const char* context = nullptr)
        : m_code(code)
        , m_context(context)
    {
    }
    static constexpr Error from_code(ErrorCode code, const char* context = nullptr) { return Error(code, context); }

    constexpr ErrorCode code() const { return m_code; }
    // A static string that says where or why, or nullptr.
    constexpr const char* context() const { return m_context; }
    const char* message() const { return error_message(m_code); }
    constexpr bool operator==(const Error& other) const { return m_code == other.m_code; }

private:
    ErrorCode m_code;
    const char* m_context;
};

} // namespace ferros
