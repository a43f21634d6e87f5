// The faulter: receives a fault index on boot endpoint 0 (from the hostile program) and commits
// that fault without replying. The hostile program's Call then fails with PeerGone and its Wait
// reports the vector. An index past the table is answered and ends with Exit(7): the normal path.

#include "faults.h"
#include <ferros/abi/machine.h>
#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

namespace {

using namespace ferros;

// A page of the kernel's pool (kernel/memory/page_pool.cpp) lies somewhere in the image: any
// address in [1 MiB, 6 MiB) is kernel memory, mapped supervisor-only.
constexpr uint64_t kKernelText = 0x100000;
constexpr uint64_t kKernelData = 0x200000;
constexpr uint64_t kPoolPage = 0x400000;

[[noreturn]] void commit(size_t index)
{
    volatile uint64_t sink = 0;
    uint8_t stack_code[4] = { 0xc3, 0, 0, 0 }; // ret
    switch (index) {
    case 0:
        asm volatile("ud2");
        break;
    case 1: {
        // In assembly: the compiler may turn 1 / x into a comparison, which never faults.
        uint64_t dividend = 1;
        uint64_t zero = 0;
        asm volatile("xor %%edx, %%edx\n\tdivq %1" : "+a"(dividend) : "r"(zero) : "rdx");
        sink = dividend;
        break;
    }
    case 2:
        asm volatile("cli");
        break;
    case 3:
        asm volatile("hlt");
        break;
    case 4:
        asm volatile("outb %%al, %%dx" : : "a"(0x11), "d"(abi::kDebugExitPort));
        break;
    case 5:
        asm volatile("mov %0, %%cr3" : : "r"(0ull));
        break;
    case 6:
        asm volatile("int3");
        break;
    case 7:
        sink = *reinterpret_cast<volatile uint64_t*>(kKernelText);
        break;
    case 8:
        *reinterpret_cast<volatile uint64_t*>(kKernelData) = 1;
        break;
    case 9:
        *reinterpret_cast<volatile uint64_t*>(abi::kMarkerPage) = abi::marker_word(abi::MarkerKind::OpDurable, 0);
        break;
    case 10:
        sink = *reinterpret_cast<volatile uint64_t*>(kPoolPage);
        break;
    case 11:
        reinterpret_cast<void (*)()>(reinterpret_cast<uint64_t>(stack_code))();
        break;
    case 12:
        *reinterpret_cast<volatile uint8_t*>(reinterpret_cast<uint64_t>(&ferros_main)) = 0xcc;
        break;
    case 13:
        sink = *reinterpret_cast<volatile uint64_t*>(0x8000'0000'0000'0000ull);
        break;
    }
    (void)sink;
    user::exit(200); // not reached: every case above faults
}

} // namespace

extern "C" uint8_t ferros_main(const uint8_t*, uint64_t, const uint8_t*, uint64_t)
{
    uint8_t request = 0;
    auto received = user::receive(abi::kFirstEndpointHandle, &request, 1);
    if (received.is_error())
        return 1;
    if (request < user::kFaultCount)
        commit(request);
    (void)user::reply(abi::kFirstEndpointHandle, &request, 1);
    return 7;
}
