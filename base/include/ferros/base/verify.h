#pragma once
// VERIFY checks what our own code guarantees, never what a caller, an image or a trace sent
// (those are error values). A failed VERIFY is a bug: the kernel reports it and stops the
// machine; a host program prints it and aborts. Each build supplies ferros_verify_failed.

extern "C" [[noreturn]] void ferros_verify_failed(const char* expression, const char* file, int line);

#define VERIFY(expr)                                                                                                   \
    do {                                                                                                               \
        if (!(expr)) [[unlikely]]                                                                                      \
            ferros_verify_failed(#expr, __FILE__, __LINE__);                                                           \
    } while (0)

#define VERIFY_NOT_REACHED() ferros_verify_failed("not reached", __FILE__, __LINE__)
