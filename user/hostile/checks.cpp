#include "checks.h"
#include <ferros/user/console.h>

namespace ferros::user {

void Checks::expect_error(const char* what, int64_t result, ErrorCode expected)
{
    expect_value(what, result, -static_cast<int64_t>(expected));
}

void Checks::expect_value(const char* what, int64_t result, int64_t expected)
{
    if (result == expected) {
        ++m_passed;
        return;
    }
    ++m_failed;
    print("ferros: hostile: FAIL %s: got %ld, expected %ld\n", what, result, expected);
}

} // namespace ferros::user
