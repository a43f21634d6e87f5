#pragma once
// The end of the line for a kernel bug: report on serial, tell the plugin, exit with
// ExitValue::Fault. Bad input never comes here; it is an error value (see main.cpp).

#include <stdint.h>

namespace ferros::kernel {

// Prints `ferros: panic: MESSAGE` and a backtrace, stores a Fault marker with payload
// kPanicMarkerPayload and exits with ExitValue::Fault.
[[noreturn]] __attribute__((format(printf, 1, 2))) void panic(const char* format, ...);

constexpr uint64_t kPanicMarkerPayload = 0xff;

// Guards the fault paths against recursion: returns false for the first caller, true for
// every later one (a fault while reporting a fault). The caller then takes fatal_exit().
bool enter_fatal_path();

// Stores a Fault marker with `payload` and exits with ExitValue::Fault, printing nothing more.
[[noreturn]] void fatal_exit(uint64_t payload);

} // namespace ferros::kernel
