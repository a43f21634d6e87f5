#include "syscall/process_memory.h"
#include "arch/platform.h"

namespace ferros::kernel {

bool ProcessMemory::allows(UserRange range, UserAccess access) const
{
    return m_process.space.allows(range.address, range.length, access);
}

bool ProcessMemory::copy_in(void* destination, uint64_t source, size_t count)
{
    return arch::copy_from_user(destination, source, count);
}

bool ProcessMemory::copy_out(uint64_t destination, const void* source, size_t count)
{
    return arch::copy_to_user(destination, source, count);
}

} // namespace ferros::kernel
