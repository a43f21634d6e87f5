// The built-in boot bundle (user/CMakeLists.txt builds it): the programs the kernel starts when
// the initrd is a bare workload rather than a bundle of its own (docs/kernel.md).

    .section .rodata.bundle, "a"
    .p2align 4
    .globl ferros_builtin_bundle, ferros_builtin_bundle_end
ferros_builtin_bundle:
    .incbin FERROS_BUILTIN_BUNDLE
ferros_builtin_bundle_end:

    .section .note.GNU-stack, "", @progbits
