// The `syscall` entry (LSTAR). The CPU has put the user RIP in RCX and RFLAGS in R11, loaded
// the kernel's CS and SS from STAR and cleared IF, TF, DF, AC and NT (SFMASK), and left RSP
// alone: the first job is the switch to the running process's kernel stack. One CPU and
// interrupts off make a global scratch slot for the user RSP safe.
//
// The entry builds the same TrapFrame (trap_frame.h) as an interrupt, so that the C++ side has
// one view of a process's user registers; vector kSyscallVector marks it. The way back is
// SYSRETQ, which needs a canonical RCX: it is the RIP the CPU saved, or an entry point the
// kernel checked, never a value the process chose.

#define USER_DATA_SELECTOR (0x18 | 3)
#define USER_CODE_SELECTOR (0x20 | 3)
#define SYSCALL_VECTOR 0x100

    .text
    .globl x86_64_syscall_entry
x86_64_syscall_entry:
    mov %rsp, x86_64_user_rsp_scratch(%rip)
    mov x86_64_kernel_stack_top(%rip), %rsp
    pushq $USER_DATA_SELECTOR
    pushq x86_64_user_rsp_scratch(%rip)
    pushq %r11                      // user RFLAGS
    pushq $USER_CODE_SELECTOR
    pushq %rcx                      // user RIP
    pushq $0                        // error code slot
    pushq $SYSCALL_VECTOR
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    // rbp = 0 ends the kernel's backtrace at the user boundary.
    xor %ebp, %ebp
    mov %rsp, %rdi
    call x86_64_syscall_dispatch
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp                   // vector and error code
    popq %rcx                       // RIP for SYSRETQ
    add $8, %rsp                    // CS
    popq %r11                       // RFLAGS for SYSRETQ
    popq %rsp                       // the user stack; IF is still 0, so nothing can interrupt here
    sysretq

    .bss
    .p2align 3
    .globl x86_64_kernel_stack_top
x86_64_kernel_stack_top:
    .quad 0
x86_64_user_rsp_scratch:
    .quad 0

    .section .note.GNU-stack, "", @progbits
