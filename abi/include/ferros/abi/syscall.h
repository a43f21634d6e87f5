#pragma once
// System-call numbers and the calling convention shared by the kernel's dispatch entry, the
// workload interpreter and the host-native build.

#include <stdint.h>

namespace ferros::abi {

enum class Syscall : uint32_t {
#define FERROS_SYSCALL(name, number, args) name = number,
#include <ferros/abi/syscalls.def>
#undef FERROS_SYSCALL
};

// Arguments as a user-mode `syscall` will pass them (rdi, rsi, rdx, r10, r8, r9).
struct SyscallArgs {
    uint64_t a[6] {};
};

constexpr const char* syscall_name(Syscall call)
{
    switch (call) {
#define FERROS_SYSCALL(name, number, args)                                                                             \
    case Syscall::name:                                                                                                \
        return #name;
#include <ferros/abi/syscalls.def>
#undef FERROS_SYSCALL
    }
    return nullptr;
}

} // namespace ferros::abi
