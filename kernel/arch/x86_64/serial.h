#pragma once
// The console: a 16550 UART at COM1, polled (no interrupts), 8N1.

namespace ferros::kernel::x86_64::serial {

void init();
void put(char c);

} // namespace ferros::kernel::x86_64::serial
