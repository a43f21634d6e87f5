#pragma once
// The seam between the system calls and the caller's memory: every pointer a call takes is
// checked against the caller's own mappings and then copied in or out, never dereferenced.
// The kernel's implementation is the current process's address space and the arch copies
// (syscall/process_memory.cpp); the host tests use a fake.

#include "memory/address_space.h"
#include "syscall/errors.h"
#include <ferros/base/error_or.h>
#include <stddef.h>
#include <stdint.h>

namespace ferros::kernel {

struct UserRange {
    uint64_t address { 0 };
    uint64_t length { 0 };
};

class UserMemory {
public:
    virtual bool allows(UserRange range, UserAccess access) const = 0;
    // False if the copy faulted (a range that allows() accepted should not).
    virtual bool copy_in(void* destination, uint64_t source, size_t count) = 0;
    virtual bool copy_out(uint64_t destination, const void* source, size_t count) = 0;

protected:
    ~UserMemory() = default;
};

inline ErrorOr<void> check_range(const UserMemory& memory, UserRange range, UserAccess access)
{
    if (!memory.allows(range, access))
        return Error(kBadAddress, "a range the caller may not access");
    return {};
}

inline ErrorOr<void> copy_in(UserMemory& memory, void* destination, UserRange range)
{
    if (!memory.copy_in(destination, range.address, range.length))
        return Error(kBadAddress, "the copy from the caller faulted");
    return {};
}

inline ErrorOr<void> copy_out(UserMemory& memory, uint64_t destination, const void* source, size_t count)
{
    if (!memory.copy_out(destination, source, count))
        return Error(kBadAddress, "the copy to the caller faulted");
    return {};
}

} // namespace ferros::kernel
