#pragma once
// Port I/O. x86 reaches the 16550 UART, the legacy PIC and isa-debug-exit through the I/O
// port space, which C++ cannot address; these are the only instructions that do.

#include <stdint.h>

namespace ferros::kernel::x86_64 {

inline void outb(uint16_t port, uint8_t value) { asm volatile("outb %0, %1" : : "a"(value), "Nd"(port)); }

inline uint8_t inb(uint16_t port)
{
    uint8_t value;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

} // namespace ferros::kernel::x86_64
