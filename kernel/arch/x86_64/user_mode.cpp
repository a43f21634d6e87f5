// User mode on x86_64: the CPU features that guard the boundary, the `syscall` MSRs, the first
// entry of a process, context switches and the copies across the boundary.

#include "arch/x86_64/user_mode.h"
#include "arch/platform.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/trap_frame.h"

extern "C" {
void x86_64_syscall_entry();
void x86_64_trap_return();
void x86_64_switch_context(uint64_t* save_rsp, uint64_t next_rsp);
uint64_t x86_64_copy_user(void* destination, const void* source, size_t count);
extern uint64_t x86_64_kernel_stack_top;
extern uint8_t x86_64_has_smap;
extern uint64_t boot_pml4[512];
}

namespace ferros::kernel::arch {

namespace {

    constexpr uint32_t kEferMsr = 0xc000'0080;
    constexpr uint32_t kStarMsr = 0xc000'0081;
    constexpr uint32_t kLstarMsr = 0xc000'0082;
    constexpr uint32_t kSfmaskMsr = 0xc000'0084;
    constexpr uint64_t kEferSyscall = 1ull << 0;
    constexpr uint64_t kEferNoExecute = 1ull << 11;
    constexpr uint64_t kCr4Global = 1ull << 7;
    constexpr uint64_t kCr4Smep = 1ull << 20;
    constexpr uint64_t kCr4Smap = 1ull << 21;

    // RFLAGS bits.
    constexpr uint64_t kInterruptEnable = 1ull << 9;
    constexpr uint64_t kTrap = 1ull << 8;
    constexpr uint64_t kDirection = 1ull << 10;
    constexpr uint64_t kAlignmentCheck = 1ull << 18;
    constexpr uint64_t kNestedTask = 1ull << 14;
    constexpr uint64_t kReservedOne = 1ull << 1;

    Protection s_protection;

} // namespace

Protection protection() { return s_protection; }

// Called by init_cpu(): turns on what the CPU model offers, then the `syscall` instruction.
void init_user_mode()
{
    auto const extended = x86_64::cpuid(0x8000'0001);
    auto const structured = x86_64::cpuid(0, 0).eax >= 7 ? x86_64::cpuid(7, 0) : x86_64::CpuidResult {};
    s_protection.no_execute = (extended.edx & (1u << 20)) != 0;
    s_protection.smep = (structured.ebx & (1u << 7)) != 0;
    s_protection.smap = (structured.ebx & (1u << 20)) != 0;

    uint64_t efer = x86_64::rdmsr(kEferMsr) | kEferSyscall;
    if (s_protection.no_execute)
        efer |= kEferNoExecute;
    x86_64::wrmsr(kEferMsr, efer);

    // Global pages keep the kernel half's TLB entries across CR3 switches; SMEP stops the
    // kernel from running user code, SMAP from touching user data outside the copy routines.
    uint64_t cr4 = x86_64::read_cr4() | kCr4Global;
    if (s_protection.smep)
        cr4 |= kCr4Smep;
    if (s_protection.smap)
        cr4 |= kCr4Smap;
    x86_64::write_cr4(cr4);
    x86_64_has_smap = s_protection.smap ? 1 : 0;

    // STAR: the kernel's CS (SS = CS + 8) for `syscall`, the base SYSRET adds to (gdt.h).
    x86_64::wrmsr(kStarMsr,
        (static_cast<uint64_t>(x86_64::kSysretBaseSelector) << 48)
            | (static_cast<uint64_t>(x86_64::kKernelCodeSelector) << 32));
    x86_64::wrmsr(kLstarMsr, reinterpret_cast<uint64_t>(&x86_64_syscall_entry));
    // Cleared on entry: interrupts stay off in the kernel, a user-set TF, DF, AC or NT cannot
    // leak into kernel code (AC would switch SMAP off).
    x86_64::wrmsr(kSfmaskMsr, kInterruptEnable | kTrap | kDirection | kAlignmentCheck | kNestedTask);
}

uint64_t prepare_user_start(uint64_t kernel_stack_top, const UserStart& start)
{
    auto* frame = reinterpret_cast<x86_64::TrapFrame*>(kernel_stack_top - sizeof(x86_64::TrapFrame));
    *frame = x86_64::TrapFrame {};
    frame->rdi = start.arguments[0];
    frame->rsi = start.arguments[1];
    frame->rdx = start.arguments[2];
    frame->rcx = start.arguments[3];
    frame->rip = start.entry;
    frame->cs = x86_64::kUserCodeSelector;
    frame->rflags = kReservedOne | kInterruptEnable | (start.single_step ? kTrap : 0);
    frame->rsp = start.stack;
    frame->ss = x86_64::kUserDataSelector;
    // What x86_64_switch_context pops: r15, r14, r13, r12, rbx, rbp (all zero), then its return
    // address, the IRETQ path of isr.S.
    auto* words = reinterpret_cast<uint64_t*>(frame) - 7;
    for (int i = 0; i < 6; ++i)
        words[i] = 0;
    words[6] = reinterpret_cast<uint64_t>(&x86_64_trap_return);
    return reinterpret_cast<uint64_t>(words);
}

void switch_context(uint64_t* save_rsp, uint64_t next_rsp) { x86_64_switch_context(save_rsp, next_rsp); }

void enter_address_space(uint64_t root, uint64_t kernel_stack_top)
{
    x86_64::set_kernel_stack(kernel_stack_top);
    x86_64_kernel_stack_top = kernel_stack_top;
    if (x86_64::read_cr3() != root)
        x86_64::write_cr3(root);
}

void enter_kernel_address_space()
{
    auto const root = reinterpret_cast<uint64_t>(boot_pml4);
    if (x86_64::read_cr3() != root)
        x86_64::write_cr3(root);
}

bool copy_from_user(void* destination, uint64_t source, size_t count)
{
    return x86_64_copy_user(destination, reinterpret_cast<const void*>(source), count) == 0;
}

bool copy_to_user(uint64_t destination, const void* source, size_t count)
{
    return x86_64_copy_user(reinterpret_cast<void*>(destination), source, count) == 0;
}

void disable_interrupts() { x86_64::disable_interrupts(); }

} // namespace ferros::kernel::arch
