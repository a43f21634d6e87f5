#include "arch/x86_64/backtrace.h"
#include "arch/platform.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "console.h"

extern "C" char boot_stack_bottom[];
extern "C" char boot_stack_top[];

namespace ferros::kernel::x86_64 {

namespace {

    constexpr int kMaxFrames = 16;

    bool on_a_kernel_stack(uint64_t frame_pointer)
    {
        auto inside = [frame_pointer](uint64_t bottom, uint64_t top) {
            return frame_pointer >= bottom && frame_pointer + 16 <= top;
        };
        return frame_pointer % 8 == 0
            && (inside(reinterpret_cast<uint64_t>(boot_stack_bottom), reinterpret_cast<uint64_t>(boot_stack_top))
                || inside(double_fault_stack_bottom(), double_fault_stack_top()));
    }

} // namespace

void print_backtrace(uint64_t first_address, uint64_t frame_pointer)
{
    kprintf("ferros: backtrace: 0x%lx", first_address);
    for (int i = 0; i < kMaxFrames && on_a_kernel_stack(frame_pointer); ++i) {
        auto* frame = reinterpret_cast<const uint64_t*>(frame_pointer);
        uint64_t return_address = frame[1];
        if (return_address == 0)
            break;
        kprintf(" 0x%lx", return_address);
        // Frames go up the stack; anything else is a loop or corruption.
        if (frame[0] <= frame_pointer)
            break;
        frame_pointer = frame[0];
    }
    kprintf("\n");
}

} // namespace ferros::kernel::x86_64

namespace ferros::kernel::arch {

void print_backtrace_here()
{
    uint64_t frame_pointer = x86_64::read_rbp();
    // Our own frame's return address is the caller of print_backtrace_here.
    uint64_t return_address = reinterpret_cast<const uint64_t*>(frame_pointer)[1];
    x86_64::print_backtrace(return_address, reinterpret_cast<const uint64_t*>(frame_pointer)[0]);
}

} // namespace ferros::kernel::arch
