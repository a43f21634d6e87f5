#include "process/process.h"
#include "syscall/errors.h"

namespace ferros::kernel {

namespace {

    Process s_processes[kMaxProcesses];
    alignas(16) uint8_t s_kernel_stacks[kMaxProcesses][kKernelStackSize];
    uint32_t s_next_pid = 1;

} // namespace

Process* process_table() { return s_processes; }

Process* find_process(uint32_t pid)
{
    for (auto& process : s_processes) {
        if (process.state != ProcessState::Free && process.pid == pid)
            return &process;
    }
    return nullptr;
}

Process* allocate_process()
{
    for (auto& process : s_processes) {
        if (process.state == ProcessState::Free) {
            process = Process();
            process.pid = s_next_pid++;
            process.kernel_stack_top
                = reinterpret_cast<uint64_t>(s_kernel_stacks[&process - s_processes]) + kKernelStackSize;
            return &process;
        }
    }
    return nullptr;
}

void reap_if_unreferenced(Process& process)
{
    if (process.state != ProcessState::Exited || process.kernel_child)
        return;
    for (const auto& holder : s_processes) {
        if (holder.state == ProcessState::Free || holder.state == ProcessState::Exited)
            continue;
        for (const auto& handle : holder.handles) {
            if (handle.kind == ObjectKind::Process && handle.object == process.pid)
                return;
        }
    }
    process.state = ProcessState::Free;
}

ErrorOr<HandleEntry> lookup_handle(const Process& process, uint64_t handle, ObjectKind kind, uint32_t rights)
{
    if (handle == 0 || handle >= abi::kMaxHandles || process.handles[handle].kind != kind)
        return Error(kBadHandle, "no handle of that kind");
    const HandleEntry& entry = process.handles[handle];
    if ((entry.rights & rights) != rights)
        return Error(kAccessDenied, "the handle lacks a right the call needs");
    return entry;
}

ErrorOr<abi::Handle> install_handle(Process& process, HandleEntry entry)
{
    for (abi::Handle handle = 1; handle < abi::kMaxHandles; ++handle) {
        if (process.handles[handle].kind == ObjectKind::None) {
            process.handles[handle] = entry;
            return handle;
        }
    }
    return Error(ErrorCode::NoMemory, "the handle table is full");
}

} // namespace ferros::kernel
