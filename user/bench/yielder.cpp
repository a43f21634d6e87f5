// The context-switch benchmark's partner: yields as many times as its argument says (decimal,
// default 1000), so that every yield of the bench program switches to it and back.

#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

extern "C" uint8_t ferros_main(const uint8_t* args, uint64_t length, const uint8_t*, uint64_t)
{
    uint64_t count = 0;
    for (uint64_t i = 0; i < length && args[i] >= '0' && args[i] <= '9'; ++i)
        count = count * 10 + (args[i] - '0');
    if (count == 0)
        count = 1000;
    for (uint64_t i = 0; i < count + 1; ++i)
        ferros::user::yield();
    return 0;
}
