#pragma once
// ErrorOr<T> and TRY, in the manner of SerenityOS AK/Error.h and AK/Try.h: a fallible
// function returns ErrorOr<T>, TRY(expr) hands an error up to the caller. No exceptions,
// no allocation; usable in the kernel and on the host.
//
// The error type is a parameter (AK's ErrorOr<T, E> too): freestanding code uses Error, which
// owns no memory; host libraries that must say which file or which state went wrong use
// ErrorOr<T, Failure> (ferros/base/failure.h), whose Failure is built from any Error, so TRY
// of an ErrorOr<T> works inside a function that returns ErrorOr<U, Failure>.

#include <ferros/base/error.h>
#include <ferros/base/verify.h>
#include <new>
#include <type_traits>
#include <utility>

namespace ferros {

template<typename T, typename E = Error>
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
            U&&> && !std::is_same_v<std::remove_cvref_t<U>, E> && !std::is_same_v<std::remove_cvref_t<U>, Error> && !std::is_same_v<std::remove_cvref_t<U>, ErrorCode> && !std::is_same_v<std::remove_cvref_t<U>, T>)
        ErrorOr(U&& value)
        : m_is_error(false)
    {
        new (&m_value) T(std::forward<U>(value));
    }
    ErrorOr(E error)
        : m_is_error(true)
        , m_error(std::move(error))
    {
    }
    // Another error type that converts to E (an Error into a Failure).
    template<typename F>
    requires(!std::is_same_v<F, E> && std::is_constructible_v<E, F> && !std::is_constructible_v<T, F>) ErrorOr(F error)
        : ErrorOr(E(std::move(error)))
    {
    }
    ErrorOr(ErrorCode code)
        : ErrorOr(E(Error(code)))
    {
    }
    ErrorOr(ErrorOr&& other)
        : m_is_error(other.m_is_error)
        , m_error(std::move(other.m_error))
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
    const E& error() const
    {
        VERIFY(m_is_error);
        return m_error;
    }
    E release_error() { return std::move(const_cast<E&>(error())); }
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
    E m_error { Error(ErrorCode::InvalidArgument) };
    union {
        T m_value;
    };
};

template<typename E>
class [[nodiscard]] ErrorOr<void, E> {
public:
    ErrorOr() = default;
    ErrorOr(E error)
        : m_is_error(true)
        , m_error(std::move(error))
    {
    }
    template<typename F>
    requires(!std::is_same_v<F, E> && std::is_constructible_v<E, F>) ErrorOr(F error)
        : ErrorOr(E(std::move(error)))
    {
    }
    ErrorOr(ErrorCode code)
        : ErrorOr(E(Error(code)))
    {
    }
    bool is_error() const { return m_is_error; }
    const E& error() const
    {
        VERIFY(m_is_error);
        return m_error;
    }
    E release_error() { return std::move(const_cast<E&>(error())); }
    void release_value() const { }

private:
    bool m_is_error { false };
    E m_error { Error(ErrorCode::InvalidArgument) };
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
