#pragma once
// The serial console. Every line the kernel prints starts with "ferros: " and ends with a bare
// "\n" (no "\r"): host tools parse these lines (docs/kernel.md), and the bytes must be the same
// on every boot.

#include "lib/string_view.h"

namespace ferros::kernel {

// printf to the console (lib/format.h lists the conversions).
__attribute__((format(printf, 1, 2))) void kprintf(const char* format, ...);

} // namespace ferros::kernel
