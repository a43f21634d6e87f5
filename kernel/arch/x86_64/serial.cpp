#include "arch/x86_64/serial.h"
#include "arch/x86_64/io.h"
#include <stdint.h>

namespace ferros::kernel::x86_64::serial {

namespace {
    constexpr uint16_t kCom1 = 0x3f8;
    // 16550 register offsets.
    constexpr uint16_t kData = 0; // divisor low byte while DLAB is set
    constexpr uint16_t kInterruptEnable = 1; // divisor high byte while DLAB is set
    constexpr uint16_t kFifoControl = 2;
    constexpr uint16_t kLineControl = 3;
    constexpr uint16_t kModemControl = 4;
    constexpr uint16_t kLineStatus = 5;
    constexpr uint8_t kLineControlDlab = 0x80;
    constexpr uint8_t kLineControl8N1 = 0x03;
    constexpr uint8_t kLineStatusTransmitEmpty = 0x20;
} // namespace

void init()
{
    outb(kCom1 + kInterruptEnable, 0x00); // polled: the kernel never takes UART interrupts
    outb(kCom1 + kLineControl, kLineControlDlab);
    outb(kCom1 + kData, 0x01); // divisor 1: 115200 baud (QEMU ignores it, real UARTs do not)
    outb(kCom1 + kInterruptEnable, 0x00);
    outb(kCom1 + kLineControl, kLineControl8N1);
    outb(kCom1 + kFifoControl, 0x07); // enable and clear both FIFOs
    outb(kCom1 + kModemControl, 0x03); // DTR and RTS; OUT2 stays off so no IRQ reaches the PIC
}

void put(char c)
{
    while ((inb(kCom1 + kLineStatus) & kLineStatusTransmitEmpty) == 0) { }
    outb(kCom1 + kData, static_cast<uint8_t>(c));
}

} // namespace ferros::kernel::x86_64::serial
