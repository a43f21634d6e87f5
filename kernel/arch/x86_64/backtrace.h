#pragma once
// A frame-pointer backtrace (the kernel is built with -fno-omit-frame-pointer): each frame
// holds the caller's rbp at [rbp] and the return address at [rbp + 8].

#include <stdint.h>

namespace ferros::kernel::x86_64 {

// Prints `ferros: backtrace: ADDR ADDR ...` starting with `first_address`, then the return
// addresses found from `frame_pointer`. Frames outside the kernel's stacks end the walk, so a
// corrupt rbp cannot fault inside the fault report.
void print_backtrace(uint64_t first_address, uint64_t frame_pointer);

} // namespace ferros::kernel::x86_64
