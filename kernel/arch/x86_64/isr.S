// Interrupt entry stubs. Each stub makes the stack look the same (an error code slot and the
// vector), then isr_common saves all general-purpose registers as a TrapFrame (trap_frame.h)
// and calls x86_64_trap_dispatch(TrapFrame*).

    .text

.macro STUB_NO_ERROR vector
isr_\vector:
    pushq $0          // the CPU pushes no error code for this vector
    pushq $\vector
    jmp isr_common
.endm

.macro STUB_ERROR vector
isr_\vector:
    pushq $\vector    // the CPU already pushed an error code
    jmp isr_common
.endm

// Vectors with a CPU error code: #DF 8, #TS 10, #NP 11, #SS 12, #GP 13, #PF 14, #AC 17, #CP 21,
// #VC 29, #SX 30.
    STUB_NO_ERROR 0
    STUB_NO_ERROR 1
    STUB_NO_ERROR 2
    STUB_NO_ERROR 3
    STUB_NO_ERROR 4
    STUB_NO_ERROR 5
    STUB_NO_ERROR 6
    STUB_NO_ERROR 7
    STUB_ERROR 8
    STUB_NO_ERROR 9
    STUB_ERROR 10
    STUB_ERROR 11
    STUB_ERROR 12
    STUB_ERROR 13
    STUB_ERROR 14
    STUB_NO_ERROR 15
    STUB_NO_ERROR 16
    STUB_ERROR 17
    STUB_NO_ERROR 18
    STUB_NO_ERROR 19
    STUB_NO_ERROR 20
    STUB_ERROR 21
    STUB_NO_ERROR 22
    STUB_NO_ERROR 23
    STUB_NO_ERROR 24
    STUB_NO_ERROR 25
    STUB_NO_ERROR 26
    STUB_NO_ERROR 27
    STUB_NO_ERROR 28
    STUB_ERROR 29
    STUB_ERROR 30
    STUB_NO_ERROR 31
    STUB_NO_ERROR 32    // LAPIC timer
    STUB_NO_ERROR 255   // LAPIC spurious interrupt

isr_common:
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
    // The CPU aligned RSP to 16 bytes before its 5-word frame; with the 2 words of the stub
    // and 15 here the total is 22 words, so RSP is 16-byte aligned for the call as the ABI wants.
    mov %rsp, %rdi
    cld
    call x86_64_trap_dispatch
    // A new process starts here too (process_start.cpp builds a TrapFrame for it): pop the
    // registers and return to user mode with IRETQ.
    .globl x86_64_trap_return
x86_64_trap_return:
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
    add $16, %rsp     // vector and error code
    iretq

    .section .rodata
    .p2align 3
    .globl x86_64_exception_stubs
x86_64_exception_stubs:
    .irp vector, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .quad isr_\vector
    .endr
    .globl x86_64_timer_stub, x86_64_spurious_stub
x86_64_timer_stub:
    .quad isr_32
x86_64_spurious_stub:
    .quad isr_255

    .section .note.GNU-stack, "", @progbits
