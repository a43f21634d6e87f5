// A server that crashes at start-up every time (an undefined instruction before its first
// Receive): the supervisor test's reason to give up.

#include <ferros/user/start.h>

extern "C" uint8_t ferros_main(const uint8_t*, uint64_t, const uint8_t*, uint64_t) { __builtin_trap(); }
