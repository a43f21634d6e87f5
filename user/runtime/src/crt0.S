// The first instruction of every program. The kernel enters at _start in user mode with
// rdi/rsi = argument bytes and length, rdx/rcx = workload and length, rsp = the top of the
// stack (16-byte aligned). ferros_main's result is the exit status.

    .text
    .globl _start
_start:
    xor %ebp, %ebp                  // the end of the frame-pointer chain
    call ferros_main
    movzbl %al, %edi
    mov $7, %eax                    // abi::Syscall::Exit
    syscall
    ud2                             // Exit does not return

    .section .note.GNU-stack, "", @progbits
