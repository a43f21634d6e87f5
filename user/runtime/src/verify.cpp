// A failed VERIFY in a user program is that program's bug: say so and exit with 255.

#include <ferros/base/verify.h>
#include <ferros/user/console.h>
#include <ferros/user/syscall.h>

extern "C" void ferros_verify_failed(const char* expression, const char* file, int line)
{
    ferros::user::print("ferros: user VERIFY failed: %s at %s:%d\n", expression, file, line);
    ferros::user::exit(255);
}
