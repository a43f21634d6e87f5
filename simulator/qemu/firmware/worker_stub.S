// The reboot worker's firmware: from the reset vector to the kernel's PVH entry in a dozen
// instructions, with the machine state the PVH boot ABI asks for (32-bit protected mode,
// paging off, flat CS/DS/ES/SS, EBX = the start info, interrupts off). qboot did the real
// work once, in the worker's capture run; the host copied what it handed over (the start
// info, the memory map, the command line) into place, so this stub only has to jump.
//
// Why not qboot every time: a reset makes QEMU copy the kernel's ELF segments into RAM again,
// which throws away every translated block of the kernel; retranslating them was most of a
// reboot check's cost. With this stub the kernel is not a QEMU ROM at all (the host restores
// its segments through its own mapping of guest RAM, byte-identical), so its translations
// survive the reset. See reboot_worker.h.
//
// Linked at 0 and placed at WORKER_STUB_OFFSET of the image: AT(label) is the label's offset
// in the 64 KiB image, which after a reset is also IP under CS base 0xffff0000.

#include "worker_stub.h"

#define AT(label) ((label) - stub_start + WORKER_STUB_OFFSET)

#define CR0_PE 0x1
#define CR0_ET 0x10

    .section .text
    .code16
    .globl stub_start
stub_start:
    cli
    cld
    lgdtl %cs:AT(gdt_pointer)
    // CR0 as qboot leaves it (PE and ET): caching bits off, nothing else.
    movl $(CR0_PE | CR0_ET), %eax
    movl %eax, %cr0
    ljmpl $0x08, $(WORKER_FIRMWARE_TOP_BASE + AT(protected_mode))

    .code32
protected_mode:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movw %ax, %fs
    movw %ax, %gs
    movl (WORKER_FIRMWARE_TOP_BASE + WORKER_STUB_START_INFO), %ebx
    jmpl *(WORKER_FIRMWARE_TOP_BASE + WORKER_STUB_ENTRY)

    // Flat 4 GiB segments, the selectors qboot uses: 0x08 code, 0x10 data.
    .p2align 3
gdt:
    .quad 0
    .quad 0x00cf9b000000ffff
    .quad 0x00cf93000000ffff
gdt_end:
gdt_pointer:
    .word gdt_end - gdt - 1
    .long WORKER_FIRMWARE_TOP_BASE + AT(gdt)

    .org WORKER_STUB_START_INFO - WORKER_STUB_OFFSET
    .long 0 // patched by the host: the start info's address
    .long 0 // patched by the host: the kernel's PVH entry

    .code16
    .org WORKER_STUB_RESET - WORKER_STUB_OFFSET
    jmp stub_start
    .org WORKER_STUB_SIZE
