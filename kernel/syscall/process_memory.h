#pragma once
// UserMemory for the current process: its page tables decide, the arch copies move the bytes.

#include "process/process.h"
#include "syscall/user_memory.h"

namespace ferros::kernel {

class ProcessMemory final : public UserMemory {
public:
    explicit ProcessMemory(const Process& process)
        : m_process(process)
    {
    }
    bool allows(UserRange range, UserAccess access) const override;
    bool copy_in(void* destination, uint64_t source, size_t count) override;
    bool copy_out(uint64_t destination, const void* source, size_t count) override;

private:
    const Process& m_process;
};

} // namespace ferros::kernel
