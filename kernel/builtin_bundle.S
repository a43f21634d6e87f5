// The built-in boot bundle (user/CMakeLists.txt builds it): the programs the kernel starts when
// the initrd is a bare workload rather than a bundle of its own (docs/kernel.md).

    .section .rodata.bundle, "a"
    // Page-aligned: with the images in it page-aligned too, program code is mapped in place
    // (process/in_place.h).
    .p2align 12
    .globl ferros_builtin_bundle, ferros_builtin_bundle_end
ferros_builtin_bundle:
    .incbin FERROS_BUILTIN_BUNDLE
ferros_builtin_bundle_end:

    .section .note.GNU-stack, "", @progbits
