#pragma once
// The system calls as C++ functions (docs/syscalls.md): one `syscall` instruction each, the
// result turned into ErrorOr. Only user programs include this; the kernel side is
// kernel/syscall/.

#include <ferros/abi/machine.h>
#include <ferros/abi/syscall.h>
#include <ferros/base/error_or.h>
#include <stddef.h>
#include <stdint.h>

namespace ferros::user {

// The raw call: number in rax, arguments in rdi, rsi, rdx, r10, r8, r9; rcx and r11 are
// clobbered by the instruction itself. Returns rax (>= 0, or -ErrorCode).
inline int64_t raw_syscall(uint64_t number, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
    uint64_t a4 = 0, uint64_t a5 = 0)
{
    int64_t result;
    register uint64_t r10 asm("r10") = a3;
    register uint64_t r8 asm("r8") = a4;
    register uint64_t r9 asm("r9") = a5;
    asm volatile("syscall"
                 : "=a"(result)
                 : "a"(number), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                 : "rcx", "r11", "memory");
    return result;
}

inline int64_t raw_syscall(abi::Syscall call, const abi::SyscallArgs& args)
{
    return raw_syscall(static_cast<uint64_t>(call), args.a[0], args.a[1], args.a[2], args.a[3], args.a[4], args.a[5]);
}

inline ErrorOr<uint64_t> checked(int64_t result)
{
    if (result < 0)
        return Error(static_cast<ErrorCode>(-result), nullptr);
    return static_cast<uint64_t>(result);
}

inline uint64_t address(const void* pointer) { return reinterpret_cast<uint64_t>(pointer); }

[[noreturn]] inline void exit(uint8_t status)
{
    raw_syscall(static_cast<uint64_t>(abi::Syscall::Exit), status);
    __builtin_unreachable();
}

inline void yield() { raw_syscall(static_cast<uint64_t>(abi::Syscall::Yield)); }

inline uint64_t time() { return static_cast<uint64_t>(raw_syscall(static_cast<uint64_t>(abi::Syscall::Time))); }

inline ErrorOr<uint64_t> console_write(const char* text, size_t length)
{
    return checked(
        raw_syscall(static_cast<uint64_t>(abi::Syscall::ConsoleWrite), abi::kConsoleHandle, address(text), length));
}

inline ErrorOr<uint64_t> mark(abi::MarkerKind kind, uint64_t payload)
{
    return checked(raw_syscall(
        static_cast<uint64_t>(abi::Syscall::Mark), abi::kMarkersHandle, static_cast<uint64_t>(kind), payload));
}

inline ErrorOr<abi::Handle> spawn(const char* name, size_t length)
{
    return checked(raw_syscall(static_cast<uint64_t>(abi::Syscall::Spawn), abi::kBundleHandle, address(name), length));
}

// `flags`: 0, or abi::kWaitWatchdog.
inline ErrorOr<uint64_t> wait(abi::Handle process, uint64_t flags = 0)
{
    return checked(raw_syscall(static_cast<uint64_t>(abi::Syscall::Wait), process, flags));
}

inline ErrorOr<uint64_t> call(abi::Handle endpoint, const void* message, size_t length, void* reply, size_t capacity)
{
    return checked(raw_syscall(
        static_cast<uint64_t>(abi::Syscall::Call), endpoint, address(message), length, address(reply), capacity));
}

inline ErrorOr<uint64_t> receive(abi::Handle endpoint, void* buffer, size_t capacity, abi::ReceiveInfo* info = nullptr)
{
    return checked(
        raw_syscall(static_cast<uint64_t>(abi::Syscall::Receive), endpoint, address(buffer), capacity, address(info)));
}

inline ErrorOr<uint64_t> reply(abi::Handle endpoint, const void* message, size_t length)
{
    return checked(raw_syscall(static_cast<uint64_t>(abi::Syscall::Reply), endpoint, address(message), length));
}

// Copies bytes of the memory the caller being served lent, from `offset`, into `buffer`.
inline ErrorOr<uint64_t> read_lent(abi::Handle endpoint, uint64_t offset, void* buffer, size_t length)
{
    return checked(
        raw_syscall(static_cast<uint64_t>(abi::Syscall::ReadLent), endpoint, offset, address(buffer), length));
}

// Copies `length` bytes into the memory the caller being served lent writable, at `offset`.
inline ErrorOr<uint64_t> write_lent(abi::Handle endpoint, uint64_t offset, const void* data, size_t length)
{
    return checked(
        raw_syscall(static_cast<uint64_t>(abi::Syscall::WriteLent), endpoint, offset, address(data), length));
}

} // namespace ferros::user
