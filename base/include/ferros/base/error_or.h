#pragma once
// ErrorOr<T> and TRY, in the manner of SerenityOS AK/Error.h and AK/Try.h: a fallible
// function returns ErrorOr<T>, TRY(expr) hands an error up to the caller. No exceptions,
// no allocation; usable in the kernel and on the host.

#include <ferros/base/error.h>
#include <ferros/base/verify.h>
#include <new>
#include <type_traits>
#include <utility>

namespace ferros {

template<typename T>
class [[nodiscard]] ErrorOr {
public:
    ErrorOr(const T& value)
        : m_is_error(false)
    {
        new (&m_value) T(value);
    }
    ErrorOr(T&& value)
        : m_is_error(false)
    {
        new (&m_value) T(std::move(value));
    }
    template<typename U>
    requires(
        std::is_constructible_v<T,
            U&&> && !std::is_same_v<std::remove_cvref_t<U>, Error> && !std::is_same_v<std::remove_cvref_t<U>, ErrorCode> && !std::is_same_v<std::remove_cvref_t<U>, T>)
        ErrorOr(U&& value)
        : m_is_error(false)
    {
        new (&m_value) T(std::forward<U>(value));
    }
    ErrorOr(Error error)
        : m_is_error(true)
        , m_error(error)
    {
    }
    ErrorOr(ErrorCode code)
        : ErrorOr(Error(code))
    {
    }
    ErrorOr(ErrorOr&& other)
        : m_is_error(other.m_is_error)
        , m_error(other.m_error)
    {
        if (!m_is_error)
            new (&m_value) T(std::move(other.m_value));
    }
    ErrorOr(const ErrorOr& other)
        : m_is_error(other.m_is_error)
        , m_error(other.m_error)
    {
        if (!m_is_error)
            new (&m_value) T(other.m_value);
    }
    ErrorOr& operator=(ErrorOr&& other)
    {
        if (this != &other) {
            this->~ErrorOr();
            new (this) ErrorOr(std::move(other));
        }
        return *this;
    }
    ErrorOr& operator=(const ErrorOr& other)
    {
        if (this != &other) {
            this->~ErrorOr();
            new (this) ErrorOr(other);
        }
        return *this;
    }
    ~ErrorOr()
    {
        if (!m_is_error)
            m_value.~T();
    }

    bool is_error() const { return m_is_error; }
    Error error() const
    {
        VERIFY(m_is_error);
        return m_error;
    }
    Error release_error() const { return error(); }
    T& value()
    {
        VERIFY(!m_is_error);
        return m_value;
    }
    const T& value() const
    {
        VERIFY(!m_is_error);
        return m_value;
    }
    T release_value() { return std::move(value()); }
    T value_or(T fallback) const { return m_is_error ? fallback : m_value; }

private:
    bool m_is_error;
    Error m_error { ErrorCode::InvalidArgument };
    union {
        T m_value;
    };
};

template<>
class [[nodiscard]] ErrorOr<void> {
public:
    ErrorOr() = default;
    ErrorOr(Error error)
        : m_is_error(true)
        , m_error(error)
    {
    }
    ErrorOr(ErrorCode code)
        : ErrorOr(Error(code))
    {
    }
    bool is_error() const { return m_is_error; }
    Error error() const
    {
        VERIFY(m_is_error);
        return m_error;
    }
    Error release_error() const { return error(); }
    void release_value() const { }

private:
    bool m_is_error { false };
    Error m_error { ErrorCode::InvalidArgument };
};

} // namespace ferros

// Evaluates `expression`; on error returns the error from the enclosing function, otherwise
// yields the value. A GNU statement expression, as in SerenityOS: gcc and clang both have it.
#define TRY(expression)                                                                                                \
    ({                                                                                                                 \
        auto&& _ferros_try = (expression);                                                                             \
        if (_ferros_try.is_error()) [[unlikely]]                                                                       \
            return _ferros_try.release_error();                                                                        \
        _ferros_try.release_value();                                                                                   \
    })
