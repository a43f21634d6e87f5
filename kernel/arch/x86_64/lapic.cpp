#include "arch/x86_64/lapic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/idt.h"

namespace ferros::kernel::x86_64::lapic {

namespace {

    constexpr uint32_t kApicBaseMsr = 0x1b;
    constexpr uint64_t kApicBaseGlobalEnable = 1u << 11;
    constexpr uint64_t kApicBaseAddressMask = 0xffff'f000;

    // Register offsets (Intel SDM vol. 3, table 11-1).
    constexpr uint32_t kTaskPriority = 0x080;
    constexpr uint32_t kEndOfInterrupt = 0x0b0;
    constexpr uint32_t kSpuriousVectorRegister = 0x0f0;
    constexpr uint32_t kLvtTimer = 0x320;
    constexpr uint32_t kLvtLint0 = 0x350;
    constexpr uint32_t kTimerInitialCount = 0x380;
    constexpr uint32_t kTimerDivide = 0x3e0;

    constexpr uint32_t kSoftwareEnable = 1u << 8;
    constexpr uint32_t kLvtMasked = 1u << 16;
    constexpr uint32_t kLvtTimerPeriodic = 1u << 17;
    constexpr uint32_t kDivideBy1 = 0b1011;

    uint64_t s_base = 0;
    volatile uint64_t s_ticks = 0;

    void write(uint32_t offset, uint32_t value) { *reinterpret_cast<volatile uint32_t*>(s_base + offset) = value; }

} // namespace

void init()
{
    uint64_t msr = rdmsr(kApicBaseMsr);
    if ((msr & kApicBaseGlobalEnable) == 0)
        wrmsr(kApicBaseMsr, msr | kApicBaseGlobalEnable);
    s_base = msr & kApicBaseAddressMask;

    write(kTaskPriority, 0);
    write(kSpuriousVectorRegister, kSoftwareEnable | kSpuriousVector);
    write(kLvtLint0, kLvtMasked);
    write(kTimerDivide, kDivideBy1);
    write(kLvtTimer, kTimerVector); // one-shot, unmasked
    write(kTimerInitialCount, kFirstTickCounts);
}

void handle_timer_interrupt()
{
    s_ticks = s_ticks + 1;
    if (s_ticks == 1) {
        write(kLvtTimer, kTimerVector | kLvtTimerPeriodic);
        write(kTimerInitialCount, kTickPeriodCounts);
    }
    write(kEndOfInterrupt, 0);
}

uint64_t ticks() { return s_ticks; }

} // namespace ferros::kernel::x86_64::lapic
