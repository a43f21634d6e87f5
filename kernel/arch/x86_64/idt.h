#pragma once
// The interrupt descriptor table: all 32 exception vectors, the LAPIC timer and the LAPIC
// spurious vector. Every other vector is left not-present, so a stray interrupt raises #GP
// (reported) instead of running garbage.

#include <stdint.h>

namespace ferros::kernel::x86_64 {

constexpr uint8_t kTimerVector = 32;
constexpr uint8_t kSpuriousVector = 0xff;
constexpr uint8_t kDoubleFaultVector = 8;

void init_idt();

} // namespace ferros::kernel::x86_64
