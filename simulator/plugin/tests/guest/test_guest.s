/*
 * A test-only PVH guest for the plugin's QEMU tests: it runs in 32-bit protected mode with
 * paging off (so virtual addresses are physical), reports markers, writes into the SSD window
 * with every store width x86 has, rings the FLUSH doorbell, and powers off through
 * isa-debug-exit. It exists so the plugin's counting, cuts, device model and trace can be
 * tested without depending on the real kernel's progress.
 *
 * Its parameters come from the first 16 bytes of the SSD image (the window is plain RAM):
 *   +0  u32 rounds       workload rounds; each is one "operation" of ~40 stores
 *   +4  u32 flush_every  ring the doorbell after every flush_every rounds (0: never)
 *   +8  u32 window_size  the SSD window's size in bytes (>= 4096)
 * The guest never writes below window offset 64, so the parameters survive every cut.
 */
    .set SSD_BASE, 0x04000000
    .set MARKER_PAGE, 0x00ffe000
    .set FLUSH_DOORBELL, 0x00fff000
    .set DEBUG_EXIT_PORT, 0xf4
    .set KIND_STAGE, 1
    .set KIND_OP_SUBMITTED, 2
    .set KIND_OP_DURABLE, 3
    /* Not a machine.h kind: the low 32 bits of RDTSC, which under -icount shift=0 is
     * QEMU's own instruction count. The plugin reports it by number; the exactness test
     * checks that its count and QEMU's advance in step. */
    .set KIND_TEST_TSC, 0x7e
    .set STAGE_KERNEL_ENTRY, 2
    .set STAGE_WORKLOAD_DONE, 9
    .set STAGE_POWEROFF, 10
    .set EXIT_POWEROFF, 0x11

/* One marker is one aligned 8-byte store (machine.h), so it goes through an SSE register. */
    .macro MARK kind, payload_reg
    movl \payload_reg, marker_scratch
    movl $(\kind << 24), marker_scratch + 4
    movq marker_scratch, %xmm7
    movq %xmm7, MARKER_PAGE
    .endm

    .section .note.pvh, "a", @note
    .balign 4
    .long 4               /* name size: "Xen\0" */
    .long 4               /* descriptor size */
    .long 18              /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .long _start

    .text
    .code32
    .globl _start
_start:
    cli
    movl $stack_top, %esp
    /* SSE stores need CR4.OSFXSR and CR0.EM clear; they give the 8- and 16-byte widths. */
    movl %cr4, %eax
    orl $0x600, %eax
    movl %eax, %cr4
    movl %cr0, %eax
    andl $~0x4, %eax
    orl $0x2, %eax
    movl %eax, %cr0
    movl $STAGE_KERNEL_ENTRY, %eax
    MARK KIND_STAGE, %eax

    movl SSD_BASE + 0, %esi        /* rounds */
    xorl %ebx, %ebx                /* round index */
round:
    cmpl %esi, %ebx
    jae done
    MARK KIND_OP_SUBMITTED, %ebx
    /* An MMIO load in the middle of a translation block (the local APIC's version register):
     * under icount QEMU aborts the block there and re-runs the load alone ("I/O recompile").
     * Counting must stay exact across that; the RDTSC marker below checks it. */
    movl 0xfee00030, %edx
    rdtsc
    MARK KIND_TEST_TSC, %eax

    /* edi = SSD_BASE + 64 + (round * 192) % (window_size - 256): where this round writes */
    movl %ebx, %eax
    imull $192, %eax
    xorl %edx, %edx
    movl SSD_BASE + 8, %ecx
    subl $256, %ecx
    divl %ecx
    leal SSD_BASE + 64(%edx), %edi

    /* A multi-store write: 16 dword stores of a round-dependent pattern. */
    movl %ebx, %eax
    imull $0x9e3779b1, %eax
    xorl %ecx, %ecx
1:  movl %eax, (%edi,%ecx,4)
    roll $5, %eax
    addl %ebx, %eax
    incl %ecx
    cmpl $16, %ecx
    jb 1b

    /* Every other width: byte, word, unaligned dword, qword, 16 bytes. */
    movb %bl, 64(%edi)
    movw %bx, 66(%edi)
    movl %eax, 69(%edi)
    movd %eax, %xmm0
    pshufd $0x1b, %xmm0, %xmm0
    movq %xmm0, 80(%edi)
    movdqu %xmm0, 96(%edi)

    /* A string store: rep stosl writes 8 dwords, one iteration per executed instruction. */
    pushl %edi
    addl $112, %edi
    movl $8, %ecx
    notl %eax
    cld
    rep stosl
    popl %edi

    /* Ring the doorbell every flush_every rounds, then acknowledge the round as durable. */
    movl SSD_BASE + 4, %ecx
    testl %ecx, %ecx
    jz 2f
    leal 1(%ebx), %eax
    xorl %edx, %edx
    divl %ecx
    testl %edx, %edx
    jnz 2f
    movl $1, FLUSH_DOORBELL
    MARK KIND_OP_DURABLE, %ebx
2:  incl %ebx
    jmp round

done:
    movl $STAGE_WORKLOAD_DONE, %eax
    MARK KIND_STAGE, %eax
    movl $STAGE_POWEROFF, %eax
    MARK KIND_STAGE, %eax
    movb $EXIT_POWEROFF, %al
    outb %al, $DEBUG_EXIT_PORT
    hlt
    jmp done

    .bss
    .balign 16
marker_scratch:
    .skip 8
    .balign 16
    .skip 4096
stack_top:
