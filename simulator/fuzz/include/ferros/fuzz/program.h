#pragma once
// A workload (docs/syscalls.md) in a form a mutator can edit: one entry per operation, with
// its key and value spelled out. decode() reads a workload file, encode() writes one with the
// project's builder, so every program the fuzzer makes is a real workload file that
// `ferros workload show` prints and `ferros campaign --workload` runs.

#include <cstdint>
#include <ferros/abi/workload.h>
#include <ferros/base/error_or.h>
#include <string>
#include <vector>

namespace ferros::fuzz {

struct ProgramOp {
    abi::OpCode code { abi::OpCode::Sync };
    std::string key; // put, delete, get
    uint32_t value_length { 0 }; // put
    uint64_t value_seed { 0 }; // PutSeeded
    std::vector<uint8_t> value; // Put (literal bytes)

    bool has_key() const;
    bool is_put() const { return code == abi::OpCode::Put || code == abi::OpCode::PutSeeded; }
};

struct Program {
    std::vector<ProgramOp> ops;
    uint64_t seed { 0 }; // the header's informational seed, kept as it was
};

// Errors: whatever abi::Workload::parse refuses.
ErrorOr<Program> decode(ReadonlyBytes file);
Program decode(const abi::Workload& workload);
std::vector<uint8_t> encode(const Program& program);
// Bytes encode() would write, without writing them.
size_t encoded_size(const Program& program);

// The op's kind as `ferros workload show` names it ("put", "sync", ...).
const char* kind_name(abi::OpCode code);

} // namespace ferros::fuzz
