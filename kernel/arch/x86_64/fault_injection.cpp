// ferros.fault=: raise a real CPU exception, so that tests see the same report a kernel bug
// would produce. Inline assembly, because every one of these is undefined behaviour in C++ and
// the compiler would be free to remove it.

#include "arch/platform.h"
#include "panic.h"

namespace ferros::kernel::arch {

namespace {
    // Canonical (below 2^47) and outside the 4 GiB identity map: a guaranteed not-present page.
    constexpr uint64_t kUnmappedAddress = 0x0000'0dea'd000'0000;
    // Bit 63 set, bits 62..47 clear: not canonical, so any access is #GP rather than #PF.
    constexpr uint64_t kNonCanonicalAddress = 0x8000'0000'0000'0000;
} // namespace

void trigger_fault(InjectedFault fault)
{
    switch (fault) {
    case InjectedFault::None:
        break;
    case InjectedFault::DivideError:
        asm volatile("xor %%ecx, %%ecx\n"
                     "mov $1, %%eax\n"
                     "xor %%edx, %%edx\n"
                     "div %%ecx\n"
                     :
                     :
                     : "rax", "rcx", "rdx");
        break;
    case InjectedFault::Breakpoint:
        asm volatile("int3");
        break;
    case InjectedFault::InvalidOpcode:
        asm volatile("ud2");
        break;
    case InjectedFault::DoubleFault:
        // The CPU cannot push the #PF frame onto an unmapped stack, which turns the #PF into
        // #DF; only the IST stack lets the report run.
        asm volatile("mov %0, %%rsp\n"
                     "push $0\n"
                     :
                     : "r"(kUnmappedAddress)
                     : "memory");
        break;
    case InjectedFault::GeneralProtection:
        asm volatile("mov (%0), %%rax" : : "r"(kNonCanonicalAddress) : "rax", "memory");
        break;
    case InjectedFault::PageFault:
        asm volatile("mov (%0), %%rax" : : "r"(kUnmappedAddress) : "rax", "memory");
        break;
    }
    panic("injected fault did not fault");
}

} // namespace ferros::kernel::arch
