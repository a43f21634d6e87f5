#pragma once
// Failure: an Error for host code that must also say which file, state or command went
// wrong. It carries a code of the one error table (the caller decides by the code) and a
// sentence for the person reading it. Host libraries (simulator/, reports/) return
// ErrorOr<T, Failure>; the kernel and the freestanding core never see this header.

#include <ferros/base/error.h>
#include <ferros/base/error_or.h>
#include <string>

namespace ferros {

// "trace chunk 3 checksum mismatch (Corrupt)" — an Error as one readable phrase.
std::string describe_error(const Error& error);

class Failure {
public:
    Failure(ErrorCode code, std::string message)
        : m_code(code)
        , m_message(std::move(message))
    {
    }
    // An Error says what it knows: its static context (or the table's message) and its name.
    Failure(Error error)
        : m_code(error.code())
        , m_message(describe_error(error))
    {
    }

    ErrorCode code() const { return m_code; }
    const std::string& message() const { return m_message; }

    // The same failure with `prefix: ` in front, to say where it happened.
    Failure in(const std::string& prefix) const { return Failure(m_code, prefix + ": " + m_message); }

private:
    ErrorCode m_code;
    std::string m_message;
};

template<typename T>
using Result = ErrorOr<T, Failure>;

} // namespace ferros
