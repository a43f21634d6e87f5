// Fuzzes the workload decoder (docs/syscalls.md): Workload::parse must refuse every malformed
// file with an error value, and a file it accepts must be walkable op by op with no further
// checks, as the kernel's runner walks it.
#include <ferros/abi/workload.h>
#include <ferros/base/crc32c.h>
#include <ferros/base/verify.h>
#include <vector>

using namespace ferros;

namespace {

void walk(ReadonlyBytes bytes)
{
    auto parsed = abi::Workload::parse(bytes);
    if (parsed.is_error())
        return;
    auto const& workload = parsed.value();
    // The largest value parse() admits: materialize_value must stay inside it.
    static uint8_t value[abi::kMaxValueLength];
    auto cursor = workload.ops();
    while (!cursor.at_end()) {
        abi::Op op = cursor.next();
        if (op.code == abi::OpCode::Put || op.code == abi::OpCode::PutSeeded || op.code == abi::OpCode::Delete
            || op.code == abi::OpCode::Get)
            VERIFY(op.key.size() >= 1 && op.key.size() <= abi::kMaxKeyLength);
        if (op.is_put()) {
            VERIFY(op.value_length <= sizeof(value));
            materialize_value(op, Bytes(value, sizeof(value)));
        }
    }
    VERIFY(cursor.index() == workload.op_count());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    walk(ReadonlyBytes(data, size));

    // Random mutations almost never keep both CRC32Cs right, which would confine the fuzzer to
    // the checksum checks. So the same bytes are decoded again with both checksums made to
    // match (body first: the header checksum covers the body's), reaching the op decoder.
    if (size >= abi::kWorkloadHeaderSize) {
        std::vector<uint8_t> fixed(data, data + size);
        uint8_t* header = fixed.data();
        store_le32(header + 24, crc32c(0, header + abi::kWorkloadHeaderSize, size - abi::kWorkloadHeaderSize));
        store_le32(header + 28, crc32c(0, header, 28));
        walk(ReadonlyBytes(fixed.data(), fixed.size()));
    }
    return 0;
}
