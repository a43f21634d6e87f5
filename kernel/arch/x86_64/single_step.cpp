// Single-stepping for fault injection (kernel/process/injection.h): the target process runs
// with the trap flag, so every user instruction it retires ends in a #DB with DR6.BS set; the
// kernel counts them and, at the N-th, changes the saved user state or kills the process.

#include "arch/x86_64/single_step.h"
#include "arch/platform.h"
#include "console.h"
#include "marker.h"
#include "process/injection.h"
#include "process/scheduler.h"

namespace ferros::kernel::x86_64 {

namespace {

    constexpr uint64_t kTrapFlag = 1ull << 8;
    constexpr uint64_t kSingleStepStatus = 1ull << 14; // DR6.BS

    uint64_t read_dr6()
    {
        uint64_t value;
        asm volatile("mov %%dr6, %0" : "=r"(value));
        return value;
    }

    // DR6's status bits are sticky: clear them so that the next trap tells its own cause.
    void clear_dr6() { asm volatile("mov %0, %%dr6" : : "r"(0xffff'0ff0ull)); }

    // rax rbx rcx rdx rsi rdi rbp rsp r8 .. r15, as `flip` numbers them.
    uint64_t& general_register(TrapFrame& frame, uint64_t index)
    {
        uint64_t* const registers[16]
            = { &frame.rax, &frame.rbx, &frame.rcx, &frame.rdx, &frame.rsi, &frame.rdi, &frame.rbp, &frame.rsp,
                  &frame.r8, &frame.r9, &frame.r10, &frame.r11, &frame.r12, &frame.r13, &frame.r14, &frame.r15 };
        return *registers[index % 16];
    }

    constexpr const char* kRegisterNames[16] = { "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9",
        "r10", "r11", "r12", "r13", "r14", "r15" };

} // namespace

bool handle_user_single_step(TrapFrame& frame)
{
    Process& self = current_process();
    if (!injection_stepping(self.pid) || (read_dr6() & kSingleStepStatus) == 0)
        return false;
    clear_dr6();
    StepDecision const decision = injection_step(self.pid);
    if (decision.stop_stepping)
        frame.rflags &= ~kTrapFlag;
    if (decision.action == StepAction::Continue)
        return true;
    // The marker first, as for every event: the plugin stamps the instruction it fired at.
    store_marker(abi::MarkerKind::FaultInjected,
        (static_cast<uint64_t>(self.pid) << 8) | (static_cast<uint64_t>(decision.action) - 1));
    switch (decision.action) {
    case StepAction::Continue:
        break;
    case StepAction::Kill:
        kill_current("injected kill", 1, 0, frame.rip, 0);
    case StepAction::Hang:
        kprintf("ferros: inject: process %u (%s): hung at rip=0x%lx\n", self.pid, self.name, frame.rip);
        hang_current();
    case StepAction::FlipRegister: {
        uint64_t const index = decision.arg / 64;
        general_register(frame, index) ^= 1ull << (decision.arg % 64);
        kprintf("ferros: inject: process %u (%s): flipped bit %lu of %s at rip=0x%lx\n", self.pid, self.name,
            decision.arg % 64, kRegisterNames[index % 16], frame.rip);
        break;
    }
    case StepAction::CorruptStackByte: {
        uint64_t const address = frame.rsp + decision.arg / 8;
        uint8_t byte = 0;
        // The process's own stack, its own address space active: the checked user copies, so a
        // byte beyond the mapped stack is reported, not a kernel fault.
        bool done = arch::copy_from_user(&byte, address, 1);
        if (done) {
            byte ^= static_cast<uint8_t>(1u << (decision.arg % 8));
            done = arch::copy_to_user(address, &byte, 1);
        }
        kprintf("ferros: inject: process %u (%s): %s bit %lu of the byte at 0x%lx at rip=0x%lx\n", self.pid, self.name,
            done ? "flipped" : "could not flip", decision.arg % 8, address, frame.rip);
        break;
    }
    }
    return true;
}

} // namespace ferros::kernel::x86_64
