// Copies between kernel memory and a process's memory. The system-call layer checks every
// range against the process's page tables first; these routines are the only code that
// touches user pages (SMAP: STAC/CLAC open the window for exactly the copy), and a page fault
// inside the copy is recovered: trap.cpp sees the faulting RIP inside
// [x86_64_user_copy_begin, x86_64_user_copy_end) and resumes at x86_64_user_copy_fault, which
// returns 1 instead of 0.
//
// uint64_t x86_64_copy_user(void* destination, const void* source, size_t count)

    .text
    .globl x86_64_copy_user, x86_64_user_copy_begin, x86_64_user_copy_end, x86_64_user_copy_fault
x86_64_copy_user:
    mov %rdx, %rcx
    shr $3, %rcx
    and $7, %edx
    // STAC exists only with SMAP (it is #UD without); without SMAP there is no window to open.
    cmpb $0, x86_64_has_smap(%rip)
    je 1f
    stac
1:
x86_64_user_copy_begin:
    rep movsq
    mov %rdx, %rcx
    rep movsb
x86_64_user_copy_end:
    xor %eax, %eax
    jmp 2f
x86_64_user_copy_fault:
    mov $1, %eax
2:
    cmpb $0, x86_64_has_smap(%rip)
    je 3f
    clac
3:
    ret

    .bss
    .globl x86_64_has_smap
x86_64_has_smap:
    .byte 0

    .section .note.GNU-stack, "", @progbits
