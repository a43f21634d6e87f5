#pragma once
// The stack layout isr.S builds on every interrupt and exception: general-purpose registers
// pushed by the stub, then the vector and error code (zero where the CPU pushes none), then the
// frame the CPU pushes. Field order must match isr.S.

#include <stdint.h>

namespace ferros::kernel::x86_64 {

struct TrapFrame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code;
    uint64_t rip, cs, rflags, rsp, ss;
};
static_assert(sizeof(TrapFrame) == 22 * 8);

} // namespace ferros::kernel::x86_64
