#pragma once
// The faults the faulter program commits on request, and the vector each must raise. Each one
// ends the process that commits it; the kernel and every other process go on.

#include <stddef.h>
#include <stdint.h>

namespace ferros::user {

struct FaultCase {
    const char* name;
    uint8_t vector;
};

constexpr uint8_t kDivideError = 0;
constexpr uint8_t kInvalidOpcode = 6;
constexpr uint8_t kGeneralProtection = 13;
constexpr uint8_t kPageFault = 14;

constexpr FaultCase kFaultCases[] = {
    { "ud2", kInvalidOpcode },
    { "divide-by-zero", kDivideError },
    { "cli", kGeneralProtection }, // a privileged instruction
    { "hlt", kGeneralProtection },
    { "out-to-exit-port", kGeneralProtection }, // port I/O: isa-debug-exit would end the machine
    { "mov-to-cr3", kGeneralProtection },
    { "int3", kGeneralProtection }, // the IDT's gates are kernel-only
    { "read-kernel-text", kPageFault },
    { "write-kernel-data", kPageFault },
    { "write-marker-page", kPageFault }, // a forged marker would fool the campaign's oracle
    { "read-pool-page", kPageFault }, // another process's pages are reachable only as kernel memory
    { "execute-stack", kPageFault }, // NX
    { "write-own-code", kPageFault }, // W^X
    { "non-canonical-load", kGeneralProtection },
};
constexpr size_t kFaultCount = sizeof(kFaultCases) / sizeof(kFaultCases[0]);

} // namespace ferros::user
