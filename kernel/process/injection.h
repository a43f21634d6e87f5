#pragma once
// Deterministic fault injection (docs/kernel.md, "Fault injection"): `ferros.inject=NAME,N,KIND[,ARG]`
// injects a fault into the first process named NAME right after it has retired exactly N
// user-mode instructions. The kernel counts them by single-stepping that process (the trap flag:
// one #DB after every user instruction), which is exact and the same on every run.
//
//   kill     the process is killed, as a CPU exception would (ProcessFault marker, vector 1)
//   flip     bit ARG % 64 of general register ARG / 64 (rax rbx rcx rdx rsi rdi rbp rsp r8..r15)
//   corrupt  bit ARG % 8 of the user byte at rsp + ARG / 8 (a byte the process stored: its stack)
//   hang     the process stops for good, alive but never scheduled again (a server stuck on a
//            lock or an event that never comes); its supervisor's watchdog notices

#include "lib/string_view.h"
#include <ferros/base/error_or.h>
#include <stdint.h>

namespace ferros::kernel {

// The numbers are the FaultInjected marker's payload (abi/machine.h).
enum class InjectionKind : uint8_t { Kill = 0, Flip = 1, Corrupt = 2, Hang = 3 };

struct InjectionPlan {
    char name[16] {};
    uint64_t at { 0 }; // N >= 1
    InjectionKind kind { InjectionKind::Kill };
    uint64_t arg { 0 };
};

// Parses NAME,N,KIND[,ARG]. Errors: BadFormat (the shape, the name, an unknown kind),
// OutOfRange (N of 0, ARG beyond the kind's range).
ErrorOr<InjectionPlan> parse_injection(StringView value);

} // namespace ferros::kernel

namespace ferros::kernel {

struct Process;

// The plan from the command line (once, before any process starts).
void set_injection(const InjectionPlan& plan);
// Called for every new process: true if it is the injection's target (the first process of
// the plan's name), which must then start single-stepping.
bool injection_target(const Process& process);

// What the architecture does on a single-step trap of the target: count, and at the N-th
// instruction inject. The returned action tells it what to change in the saved user state.
// Continue, then one per InjectionKind in its order (action - 1 is the kind).
enum class StepAction : uint8_t { Continue, Kill, FlipRegister, CorruptStackByte, Hang };
struct StepDecision {
    StepAction action { StepAction::Continue };
    bool stop_stepping { false };
    uint64_t arg { 0 };
};
// `pid` is the process that took the trap. Counts; at the N-th instruction of the target the
// decision says what to inject, and the plan is spent (no later process is picked). The caller
// applies it, stores the FaultInjected marker and prints the line.
StepDecision injection_step(uint32_t pid);
bool injection_stepping(uint32_t pid);

// Where the plan stands, for the line the kernel prints when the run ends without the fault
// having fired (N beyond the target's run: that line tells how many instructions it had).
struct InjectionStatus {
    bool planned { false };
    bool fired { false };
    uint32_t pid { 0 }; // the target, 0 if no process of the name started
    uint64_t steps { 0 }; // its user instructions counted so far
    const char* name { "" }; // the plan's process name
};
InjectionStatus injection_status();

} // namespace ferros::kernel
