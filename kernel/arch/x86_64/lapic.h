#pragma once
// The local APIC and its timer. Under -icount QEMU runs the APIC timer on the virtual clock
// (1 ns = 1 instruction), so its interrupts arrive at the same instruction on every boot.

#include <stdint.h>

namespace ferros::kernel::x86_64::lapic {

// The first tick comes this many timer counts after init(): short, because interrupts-up waits
// for it and the whole boot is budgeted in instructions.
constexpr uint32_t kFirstTickCounts = 1000;
// Afterwards the timer is periodic, for timeouts in later work.
constexpr uint32_t kTickPeriodCounts = 1'000'000;

// Enables the LAPIC, masks LINT0 (the 8259's path in) and arms the timer's first tick.
void init();

// Called from the timer interrupt: counts the tick, acknowledges it, and after the first tick
// switches the timer to periodic.
void handle_timer_interrupt();

uint64_t ticks();

} // namespace ferros::kernel::x86_64::lapic
