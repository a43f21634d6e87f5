#pragma once
// The hostile program's bookkeeping: each check is a system call with one class of bad argument
// and the error docs/syscalls.md promises for it. A check that gets anything else prints a
// FAIL line; the summary line counts both.

#include <ferros/base/error.h>
#include <stdint.h>

namespace ferros::user {

class Checks {
public:
    // `result` is the raw rax of the call; `expected` the error it must be.
    void expect_error(const char* what, int64_t result, ErrorCode expected);
    void expect_value(const char* what, int64_t result, int64_t expected);
    uint32_t passed() const { return m_passed; }
    uint32_t failed() const { return m_failed; }

private:
    uint32_t m_passed { 0 };
    uint32_t m_failed { 0 };
};

} // namespace ferros::user
