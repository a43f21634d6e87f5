// void x86_64_switch_context(uint64_t* save_rsp, uint64_t next_rsp)
// Saves the callee-saved registers on the current kernel stack, stores RSP in *save_rsp,
// switches to next_rsp and restores what that stack saved. Every process (and the scheduler's
// own context) is suspended inside this function, so resuming one is a return from it; a new
// process's stack is built to "return" into x86_64_trap_return.

    .text
    .globl x86_64_switch_context
x86_64_switch_context:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    mov %rsp, (%rdi)
    mov %rsi, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret

    .section .note.GNU-stack, "", @progbits
