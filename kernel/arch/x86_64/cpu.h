#pragma once
// Access to CPU registers and instructions that C++ cannot express. Everything else in the
// kernel asks through these functions, so the inline assembly stays in one place.

#include <stdint.h>

namespace ferros::kernel::x86_64 {

// Under `-icount shift=0` QEMU derives the TSC from the instruction count: one tick is one
// nanosecond of virtual time, i.e. one retired instruction. That makes it a deterministic clock.
inline uint64_t rdtsc()
{
    uint32_t low;
    uint32_t high;
    asm volatile("rdtsc" : "=a"(low), "=d"(high));
    return (static_cast<uint64_t>(high) << 32) | low;
}

inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t low;
    uint32_t high;
    asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
    return (static_cast<uint64_t>(high) << 32) | low;
}

inline void wrmsr(uint32_t msr, uint64_t value)
{
    asm volatile("wrmsr" : : "c"(msr), "a"(static_cast<uint32_t>(value)), "d"(static_cast<uint32_t>(value >> 32)));
}

// "memory" clobbers: the compiler must not move loads and stores across a change of the
// interrupt flag, or an interrupt handler could see a half-finished update.
inline void disable_interrupts() { asm volatile("cli" : : : "memory"); }
inline void enable_interrupts() { asm volatile("sti" : : : "memory"); }

// STI delays interrupts by one instruction, so `sti; hlt` cannot lose a wakeup between the
// caller's check and the halt: an interrupt that is already pending ends the HLT.
inline void enable_interrupts_and_halt() { asm volatile("sti; hlt" : : : "memory"); }

inline void halt() { asm volatile("hlt" : : : "memory"); }

#define FERROS_READ_CR(n)                                                                                              \
    inline uint64_t read_cr##n()                                                                                       \
    {                                                                                                                  \
        uint64_t value;                                                                                                \
        asm volatile("mov %%cr" #n ", %0" : "=r"(value));                                                              \
        return value;                                                                                                  \
    }
FERROS_READ_CR(0)
FERROS_READ_CR(2)
FERROS_READ_CR(3)
FERROS_READ_CR(4)
#undef FERROS_READ_CR

inline void write_cr3(uint64_t value) { asm volatile("mov %0, %%cr3" : : "r"(value) : "memory"); }
inline void write_cr4(uint64_t value) { asm volatile("mov %0, %%cr4" : : "r"(value) : "memory"); }

struct CpuidResult {
    uint32_t eax, ebx, ecx, edx;
};
inline CpuidResult cpuid(uint32_t leaf, uint32_t subleaf = 0)
{
    CpuidResult r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

inline uint64_t read_rbp() { return reinterpret_cast<uint64_t>(__builtin_frame_address(0)); }

} // namespace ferros::kernel::x86_64
