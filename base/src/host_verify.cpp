#include <cstdio>
#include <cstdlib>
#include <ferros/base/verify.h>

extern "C" [[noreturn]] void ferros_verify_failed(const char* expression, const char* file, int line)
{
    std::fprintf(stderr, "ferros: VERIFY failed: %s at %s:%d\n", expression, file, line);
    std::abort();
}
