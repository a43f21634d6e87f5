#pragma once
// Formatted console output for user programs: one ConsoleWrite per call (at most 1024 bytes),
// through the kernel's printf engine, so that the conversions are the kernel's (%d %u %x %s
// %c %p, l/ll/z, width, zero padding, %.*s) and the compiler checks every call's format.

namespace ferros::user {

__attribute__((format(printf, 1, 2))) void print(const char* format, ...);

} // namespace ferros::user
