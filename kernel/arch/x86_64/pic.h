#pragma once
// The legacy 8259 PICs. microvm has them (and a PIT wired to IRQ 0); the kernel uses the LAPIC
// timer instead, so the PICs are remapped away from the exception vectors and fully masked.

namespace ferros::kernel::x86_64::pic {

void disable();

} // namespace ferros::kernel::x86_64::pic
