// The PVH entry: QEMU's firmware jumps here in 32-bit protected mode, paging off, with EBX
// holding the physical address of the hvm_start_info. This file takes the firmware-handoff
// timestamp, switches to long mode on static page tables and calls the first C++ code.

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define BOOT_STACK_SIZE 16384
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define PTE_PRESENT 0x001
#define PTE_WRITABLE 0x002
#define PTE_WRITE_THROUGH 0x008
#define PTE_CACHE_DISABLE 0x010
#define PTE_HUGE 0x080
#define PTE_GLOBAL 0x100

// QEMU finds the entry point through this note (hw/i386/x86-common.c reads an 8-byte
// descriptor after the 4-byte-aligned name, as Linux's arch/x86/platform/pvh/head.S emits it).
    .section .note.Xen, "a"
    .p2align 2
    .long 4                          // namesz: "Xen\0"
    .long 8                          // descsz
    .long XEN_ELFNOTE_PHYS32_ENTRY   // type
    .asciz "Xen"
    .quad pvh_entry

    .section .boot.text, "ax"
    .code32
    .globl pvh_entry
pvh_entry:
    // First instruction: firmware-handoff's timestamp (virtual ns under -icount).
    rdtsc
    mov %eax, boot_handoff_tsc
    mov %edx, boot_handoff_tsc + 4
    mov %ebx, boot_start_info

    // .bss is not cleared here: ELF gives the loader that job (p_memsz beyond p_filesz is
    // zero), QEMU does it, and a loop here would cost one instruction per 4 bytes of stack.

    // Long mode: PAE paging on the static tables below, EFER.LME, then paging on.
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    wrmsr
    mov %cr0, %eax
    // WP: the kernel's own read-only pages stay read-only (none yet, but the default should
    // be the safe one).
    or $(CR0_PG | CR0_WP | CR0_PE), %eax
    mov %eax, %cr0

    lgdt boot_gdt_pointer
    ljmp $0x08, $long_mode_entry

    .code64
long_mode_entry:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    mov $boot_stack_top, %rsp
    // rbp = 0 ends the fault handler's frame-pointer backtrace here.
    xor %ebp, %ebp
    mov boot_start_info(%rip), %edi
    mov boot_handoff_tsc(%rip), %rsi
    call x86_64_kernel_entry
1:
    cli
    hlt
    jmp 1b

    .section .rodata
    // A minimal GDT to reach long mode: null, 64-bit code (0x08), data (0x10). gdt.cpp replaces
    // it with one that has a TSS, keeping the selectors.
    .p2align 3
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff
    .quad 0x00cf92000000ffff
boot_gdt_end:
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt

    .data
    // Hand-over from the 32-bit entry to the 64-bit code.
    .p2align 3
boot_handoff_tsc:
    .quad 0
boot_start_info:
    .long 0

    // Page tables, built by the assembler rather than by a loop at boot: identity-map the first
    // 4 GiB with 2 MiB pages (all of RAM, the LAPIC at 0xfee00000 and the IOAPIC). The last GiB
    // is the MMIO hole below 4 GiB, so it is mapped uncached. This is the kernel's half of every
    // address space (top-level slot 0): no entry has the user bit, so user mode can reach none
    // of it, and every page is global, so its TLB entries survive a switch of CR3 once CR4.PGE
    // is on (docs/kernel.md, address spaces).
    .section .data.page_tables, "aw"
    .p2align 12
    .globl boot_pml4
boot_pml4:
    .quad boot_pdpt + (PTE_PRESENT | PTE_WRITABLE)
    .fill 511, 8, 0
boot_pdpt:
    .quad boot_pd + 0x0000 + (PTE_PRESENT | PTE_WRITABLE)
    .quad boot_pd + 0x1000 + (PTE_PRESENT | PTE_WRITABLE)
    .quad boot_pd + 0x2000 + (PTE_PRESENT | PTE_WRITABLE)
    .quad boot_pd + 0x3000 + (PTE_PRESENT | PTE_WRITABLE)
    .fill 508, 8, 0
boot_pd:
    .set page, 0
    .rept 2048
    .if page < 1536
    .quad (page << 21) + (PTE_PRESENT | PTE_WRITABLE | PTE_HUGE | PTE_GLOBAL)
    .else
    .quad (page << 21) + (PTE_PRESENT | PTE_WRITABLE | PTE_HUGE | PTE_GLOBAL | PTE_WRITE_THROUGH | PTE_CACHE_DISABLE)
    .endif
    .set page, page + 1
    .endr

    .bss
    .p2align 12
    .globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    .skip BOOT_STACK_SIZE
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
