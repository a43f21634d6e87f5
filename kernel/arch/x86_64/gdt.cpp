#include "arch/x86_64/gdt.h"

namespace ferros::kernel::x86_64 {

namespace {

    struct [[gnu::packed]] TaskStateSegment {
        uint32_t reserved0;
        uint64_t rsp[3];
        uint64_t reserved1;
        uint64_t ist[7];
        uint64_t reserved2;
        uint16_t reserved3;
        uint16_t io_map_base;
    };
    static_assert(sizeof(TaskStateSegment) == 104);

    struct [[gnu::packed]] DescriptorPointer {
        uint16_t limit;
        uint64_t base;
    };

    constexpr uint64_t kCode64 = 0x00af9a000000ffff; // present, ring 0, code, long mode
    constexpr uint64_t kData = 0x00cf92000000ffff; // present, ring 0, data, writable
    constexpr uint64_t kUserData = 0x00cff2000000ffff; // present, ring 3, data, writable
    constexpr uint64_t kUserCode64 = 0x00affa000000ffff; // present, ring 3, code, long mode
    constexpr uint64_t kTssAvailable = 0x89; // type: available 64-bit TSS, present

    constexpr uint64_t kDoubleFaultStackSize = 8192;
    alignas(16) uint8_t s_double_fault_stack[kDoubleFaultStackSize];

    TaskStateSegment s_tss;
    uint64_t s_gdt[7];

} // namespace

uint64_t double_fault_stack_bottom() { return reinterpret_cast<uint64_t>(s_double_fault_stack); }
uint64_t double_fault_stack_top() { return double_fault_stack_bottom() + kDoubleFaultStackSize; }

void set_kernel_stack(uint64_t top) { s_tss.rsp[0] = top; }

void init_gdt()
{
    s_tss.ist[kDoubleFaultIst - 1] = double_fault_stack_top();
    // No I/O permission bitmap: the base points past the TSS limit.
    s_tss.io_map_base = sizeof(TaskStateSegment);

    auto tss_base = reinterpret_cast<uint64_t>(&s_tss);
    uint64_t tss_limit = sizeof(TaskStateSegment) - 1;
    s_gdt[0] = 0;
    s_gdt[1] = kCode64;
    s_gdt[2] = kData;
    s_gdt[3] = kUserData;
    s_gdt[4] = kUserCode64;
    // A system descriptor in long mode is 16 bytes: base 0..31 and limit in the first word,
    // base 32..63 in the second.
    s_gdt[5] = (tss_limit & 0xffff) | ((tss_base & 0xffffff) << 16) | (kTssAvailable << 40)
        | (((tss_limit >> 16) & 0xf) << 48) | (((tss_base >> 24) & 0xff) << 56);
    s_gdt[6] = tss_base >> 32;

    DescriptorPointer pointer { sizeof(s_gdt) - 1, reinterpret_cast<uint64_t>(s_gdt) };
    asm volatile("lgdt %0" : : "m"(pointer) : "memory");
    // Reload CS with a far return, and the data segments, so that no descriptor cached from
    // boot.S's provisional table stays in use.
    asm volatile("pushq %[code]\n"
                 "leaq 1f(%%rip), %%rax\n"
                 "pushq %%rax\n"
                 "lretq\n"
                 "1:\n"
                 "movw %[data], %%ax\n"
                 "movw %%ax, %%ds\n"
                 "movw %%ax, %%es\n"
                 "movw %%ax, %%ss\n"
                 :
                 : [code] "i"(kKernelCodeSelector), [data] "i"(kKernelDataSelector)
                 : "rax", "memory");
    asm volatile("ltr %0" : : "r"(kTssSelector));
}

} // namespace ferros::kernel::x86_64
