// The C++ side of every interrupt and exception (isr.S calls x86_64_trap_dispatch). A CPU
// exception in user mode kills that process alone. In kernel mode it is fatal (a kernel bug or
// an injected test fault), with one exception: a page fault inside the user-copy routines,
// which turns into an error result of the copy. The report format is in docs/kernel.md.

#include "arch/x86_64/backtrace.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/idt.h"
#include "arch/x86_64/lapic.h"
#include "arch/x86_64/single_step.h"
#include "arch/x86_64/trap_frame.h"
#include "console.h"
#include "panic.h"
#include "process/scheduler.h"
#include <ferros/abi/syscall.h>

namespace ferros::kernel::x86_64 {

// The watchdog's spin budget counts ticks as abi::kTickInstructions of virtual time each.
static_assert(lapic::kTickPeriodCounts == abi::kTickInstructions);

namespace {

    // Mnemonics of the 32 exception vectors (Intel SDM vol. 3, table 6-1; AMD APM for #VC, #SX);
    // reserved vectors print as #RES.
    constexpr const char* kExceptionNames[32] = {
        "#DE",
        "#DB",
        "#NMI",
        "#BP",
        "#OF",
        "#BR",
        "#UD",
        "#NM",
        "#DF",
        "#CSO",
        "#TS",
        "#NP",
        "#SS",
        "#GP",
        "#PF",
        "#RES",
        "#MF",
        "#AC",
        "#MC",
        "#XM",
        "#VE",
        "#CP",
        "#RES",
        "#RES",
        "#RES",
        "#RES",
        "#RES",
        "#RES",
        "#HV",
        "#VC",
        "#SX",
        "#RES",
    };

    [[noreturn]] void report_exception(const TrapFrame& frame)
    {
        if (enter_fatal_path()) {
            // A fault while reporting: print the least that could still work, then exit.
            kprintf("ferros: panic: nested exception (vector %lu)\n", frame.vector);
            fatal_exit(frame.vector);
        }
        kprintf("ferros: panic: exception %s (vector %lu) error=0x%lx at rip=0x%lx\n", kExceptionNames[frame.vector],
            frame.vector, frame.error_code, frame.rip);
        kprintf("ferros: regs: rax=0x%016lx rbx=0x%016lx rcx=0x%016lx rdx=0x%016lx\n", frame.rax, frame.rbx, frame.rcx,
            frame.rdx);
        kprintf("ferros: regs: rsi=0x%016lx rdi=0x%016lx rbp=0x%016lx rsp=0x%016lx\n", frame.rsi, frame.rdi, frame.rbp,
            frame.rsp);
        kprintf("ferros: regs: r8=0x%016lx r9=0x%016lx r10=0x%016lx r11=0x%016lx\n", frame.r8, frame.r9, frame.r10,
            frame.r11);
        kprintf("ferros: regs: r12=0x%016lx r13=0x%016lx r14=0x%016lx r15=0x%016lx\n", frame.r12, frame.r13, frame.r14,
            frame.r15);
        kprintf("ferros: regs: rip=0x%016lx rflags=0x%016lx cs=0x%04lx ss=0x%04lx\n", frame.rip, frame.rflags, frame.cs,
            frame.ss);
        kprintf("ferros: regs: cr0=0x%016lx cr2=0x%016lx cr3=0x%016lx cr4=0x%016lx\n", read_cr0(), read_cr2(),
            read_cr3(), read_cr4());
        print_backtrace(frame.rip, frame.rbp);
        fatal_exit(frame.vector);
    }

} // namespace

} // namespace ferros::kernel::x86_64

extern "C" char x86_64_user_copy_begin[];
extern "C" char x86_64_user_copy_end[];
extern "C" char x86_64_user_copy_fault[];

extern "C" void x86_64_trap_dispatch(ferros::kernel::x86_64::TrapFrame* frame)
{
    using namespace ferros::kernel::x86_64;
    if (frame->vector < 32) {
        // The injection target's single steps return to user mode; any other #DB kills.
        if (frame->from_user() && frame->vector == 1 && handle_user_single_step(*frame))
            return;
        if (frame->from_user())
            ferros::kernel::kill_current(
                kExceptionNames[frame->vector], frame->vector, frame->error_code, frame->rip, read_cr2());
        auto const copy_begin = reinterpret_cast<uint64_t>(x86_64_user_copy_begin);
        auto const copy_end = reinterpret_cast<uint64_t>(x86_64_user_copy_end);
        if (frame->vector == 14 && frame->rip >= copy_begin && frame->rip < copy_end) {
            frame->rip = reinterpret_cast<uint64_t>(x86_64_user_copy_fault);
            return;
        }
        report_exception(*frame);
    }
    if (frame->vector == kTimerVector) {
        lapic::handle_timer_interrupt();
        // Preemption: only user mode is ever interrupted mid-work (the kernel runs with
        // interrupts off once processes exist, except in the scheduler's idle halt).
        if (frame->from_user())
            ferros::kernel::preempt();
        return;
    }
    // The LAPIC's spurious vector needs no EOI (SDM 11.9); nothing else is routed here.
    if (frame->vector == kSpuriousVector)
        return;
    ferros::kernel::panic("unexpected interrupt vector %lu", frame->vector);
}
