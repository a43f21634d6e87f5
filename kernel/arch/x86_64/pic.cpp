#include "arch/x86_64/pic.h"
#include "arch/x86_64/io.h"
#include <stdint.h>

namespace ferros::kernel::x86_64::pic {

namespace {
    constexpr uint16_t kMasterCommand = 0x20;
    constexpr uint16_t kMasterData = 0x21;
    constexpr uint16_t kSlaveCommand = 0xa0;
    constexpr uint16_t kSlaveData = 0xa1;
    constexpr uint8_t kIcw1Init = 0x11; // ICW1: initialise, ICW4 follows
    constexpr uint8_t kIcw4_8086 = 0x01;
    // Vectors 0xf0..0xff would collide with the LAPIC spurious vector 0xff; 0x40..0x4f are unused.
    constexpr uint8_t kMasterBase = 0x40;
    constexpr uint8_t kSlaveBase = 0x48;
} // namespace

void disable()
{
    // Remapping first: even a masked 8259 can raise a spurious IRQ 7, and at the power-on base
    // (vector 8 + 7 = 15) it would look like a CPU exception. At 0x47 it hits a not-present gate.
    outb(kMasterCommand, kIcw1Init);
    outb(kSlaveCommand, kIcw1Init);
    outb(kMasterData, kMasterBase);
    outb(kSlaveData, kSlaveBase);
    outb(kMasterData, 0x04); // ICW3: slave on IRQ 2
    outb(kSlaveData, 0x02); // ICW3: slave identity 2
    outb(kMasterData, kIcw4_8086);
    outb(kSlaveData, kIcw4_8086);
    outb(kMasterData, 0xff);
    outb(kSlaveData, 0xff);
}

} // namespace ferros::kernel::x86_64::pic
