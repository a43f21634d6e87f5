// The C++ side of the `syscall` entry (syscall_entry.S): the registers of the convention in,
// the result in the frame's rax, which SYSRETQ hands back.

#include "arch/x86_64/trap_frame.h"
#include "syscall/handler.h"

extern "C" void x86_64_syscall_dispatch(ferros::kernel::x86_64::TrapFrame* frame)
{
    ferros::abi::SyscallArgs args;
    args.a[0] = frame->rdi;
    args.a[1] = frame->rsi;
    args.a[2] = frame->rdx;
    args.a[3] = frame->r10;
    args.a[4] = frame->r8;
    args.a[5] = frame->r9;
    frame->rax = static_cast<uint64_t>(ferros::kernel::handle_syscall(frame->rax, args));
}
