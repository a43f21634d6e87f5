#pragma once
// The stack layout isr.S builds on every interrupt and exception, and syscall_entry.S on every
// system call: general-purpose registers, then the vector and error code (zero where the CPU
// pushes none), then the frame the CPU pushes (or, for a system call, the same five words built
// by hand). Field order must match both files.

#include <stdint.h>

namespace ferros::kernel::x86_64 {

// Not an IDT vector: marks a frame built by the `syscall` entry.
constexpr uint64_t kSyscallVector = 0x100;

struct TrapFrame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;

    bool from_user() const { return (cs & 3) == 3; }
};
static_assert(sizeof(TrapFrame) == 22 * 8);

} // namespace ferros::kernel::x86_64
