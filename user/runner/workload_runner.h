#pragma once
// Runs a parsed workload (docs/syscalls.md) through the system calls, one operation at a
// time, and reports progress to the plugin: OpSubmitted before each operation, OpDurable after
// each sync that succeeded, GetAnswered after each get that returned a value or NotFound (what it
// returned, for the host to judge: `ferros faults` counts wrong answers). Those markers are what the campaign's checker
// holds the store to (R3, R5, R7), so they follow the calls exactly. No serial output per operation: the campaign walks
// every instruction, and a character costs about thirty.
//
// The system-call entry and the marker call are parameters, so that the sequence can be
// checked on the host against fakes; in the guest they are real `syscall`s of the runner
// program (runner/main.cpp), which holds the store handle abi::kStoreHandle.

#include <ferros/abi/machine.h>
#include <ferros/abi/syscall.h>
#include <ferros/abi/workload.h>
#include <ferros/base/bytes.h>
#include <stdint.h>

namespace ferros::user {

using SyscallEntry = int64_t (*)(abi::Syscall, const abi::SyscallArgs&);
using MarkerEntry = void (*)(abi::MarkerKind, uint64_t);

struct WorkloadSummary {
    uint32_t ops { 0 };
    uint32_t errors { 0 }; // calls that returned < 0; they do not stop the workload
};

// `scratch` must hold abi::kMaxValueLength bytes: seeded values are made there, and gets
// copy their values there.
WorkloadSummary run_workload(const abi::Workload& workload, SyscallEntry syscall, MarkerEntry marker, Bytes scratch);

} // namespace ferros::user
