#pragma once
// The workload format: a program of store system calls in a compact binary encoding that the
// kernel (from its initrd) and the host build (fuzzers, checker, generator) decode with this
// same code. docs/syscalls.md specifies it byte by byte.
//
// Decoding validates the whole file before anything runs (validate, then act): a workload
// that parses can be executed op by op without further bounds checks.

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <stddef.h>
#include <stdint.h>

namespace ferros::abi {

constexpr uint8_t kWorkloadMagic[4] = { 'F', 'R', 'W', 'L' };
constexpr uint16_t kWorkloadVersion = 1;
constexpr size_t kWorkloadHeaderSize = 32;
constexpr size_t kMaxKeyLength = 255;
constexpr size_t kMaxValueLength = 65536;
// A bound on ops so that op indices fit marker payloads and counts stay sane.
constexpr uint32_t kMaxWorkloadOps = 1u << 24;

enum class OpCode : uint8_t {
    Put = 0x01, // u8 klen, key, u32 vlen, value bytes
    PutSeeded = 0x02, // u8 klen, key, u32 vlen, u64 seed: value = first vlen bytes of Rng(seed)
    Delete = 0x03, // u8 klen, key
    Begin = 0x04,
    Commit = 0x05,
    Sync = 0x06,
    Get = 0x07, // u8 klen, key
};

const char* op_name(OpCode code);

struct Op {
    OpCode code { OpCode::Sync };
    ReadonlyBytes key;
    uint32_t value_length { 0 };
    ReadonlyBytes value; // Put only
    uint64_t value_seed { 0 }; // PutSeeded only
    bool is_put() const { return code == OpCode::Put || code == OpCode::PutSeeded; }
};

// Fills `out` with the value of a Put or PutSeeded op (out.size() must be >= value_length).
void materialize_value(const Op& op, Bytes out);

struct WorkloadHeader {
    uint32_t op_count { 0 };
    uint32_t body_length { 0 };
    uint64_t seed { 0 };
};

class Workload {
public:
    // Validates header, checksums and every op. Errors: Truncated, BadFormat, Unsupported,
    // Corrupt (checksum), TooBig (key/value beyond the limits).
    static ErrorOr<Workload> parse(ReadonlyBytes bytes);

    const WorkloadHeader& header() const { return m_header; }
    uint32_t op_count() const { return m_header.op_count; }

    // Ops in order; valid because parse() checked them.
    class Cursor {
    public:
        bool at_end() const { return m_index >= m_count; }
        uint32_t index() const { return m_index; }
        Op next();

    private:
        friend class Workload;
        ReadonlyBytes m_body;
        size_t m_offset { 0 };
        uint32_t m_index { 0 };
        uint32_t m_count { 0 };
    };
    Cursor ops() const;

private:
    WorkloadHeader m_header;
    ReadonlyBytes m_body;
};

// Decodes one op at `offset` of `body`; checks bounds. Used by parse() and Cursor.
ErrorOr<Op> decode_op(ReadonlyBytes body, size_t& offset);

} // namespace ferros::abi
