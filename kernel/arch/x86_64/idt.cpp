#include "arch/x86_64/idt.h"
#include "arch/x86_64/gdt.h"

extern "C" const uint64_t x86_64_exception_stubs[32];
extern "C" const uint64_t x86_64_timer_stub;
extern "C" const uint64_t x86_64_spurious_stub;

namespace ferros::kernel::x86_64 {

namespace {

    struct [[gnu::packed]] Gate {
        uint16_t offset_low;
        uint16_t selector;
        uint8_t ist;
        uint8_t type_attributes;
        uint16_t offset_middle;
        uint32_t offset_high;
        uint32_t reserved;
    };
    static_assert(sizeof(Gate) == 16);

    struct [[gnu::packed]] DescriptorPointer {
        uint16_t limit;
        uint64_t base;
    };

    // Interrupt gate (not trap gate): the CPU clears IF on entry, so handlers run with interrupts
    // off and the timer cannot nest inside a fault report.
    constexpr uint8_t kInterruptGatePresent = 0x8e;

    Gate s_idt[256];

    void set_gate(uint8_t vector, uint64_t handler, uint8_t ist)
    {
        s_idt[vector] = Gate {
            static_cast<uint16_t>(handler),
            kKernelCodeSelector,
            ist,
            kInterruptGatePresent,
            static_cast<uint16_t>(handler >> 16),
            static_cast<uint32_t>(handler >> 32),
            0,
        };
    }

} // namespace

void init_idt()
{
    for (uint8_t vector = 0; vector < 32; ++vector)
        set_gate(vector, x86_64_exception_stubs[vector], vector == kDoubleFaultVector ? kDoubleFaultIst : 0);
    set_gate(kTimerVector, x86_64_timer_stub, 0);
    set_gate(kSpuriousVector, x86_64_spurious_stub, 0);
    DescriptorPointer pointer { sizeof(s_idt) - 1, reinterpret_cast<uint64_t>(s_idt) };
    asm volatile("lidt %0" : : "m"(pointer) : "memory");
}

} // namespace ferros::kernel::x86_64
