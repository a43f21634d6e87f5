#include <ferros/fuzz/program.h>
#include <ferros/workload/builder.h>
#include <string_view>

namespace ferros::fuzz {

bool ProgramOp::has_key() const
{
    return code == abi::OpCode::Put || code == abi::OpCode::PutSeeded || code == abi::OpCode::Delete
        || code == abi::OpCode::Get;
}

Program decode(const abi::Workload& workload)
{
    Program program;
    program.seed = workload.header().seed;
    program.ops.reserve(workload.op_count());
    for (auto cursor = workload.ops(); !cursor.at_end();) {
        abi::Op const op = cursor.next();
        ProgramOp entry;
        entry.code = op.code;
        entry.key.assign(reinterpret_cast<const char*>(op.key.data()), op.key.size());
        entry.value_length = op.value_length;
        entry.value_seed = op.value_seed;
        if (op.code == abi::OpCode::Put)
            entry.value.assign(op.value.begin(), op.value.end());
        program.ops.push_back(std::move(entry));
    }
    return program;
}

ErrorOr<Program> decode(ReadonlyBytes file)
{
    auto const workload = TRY(abi::Workload::parse(file));
    return decode(workload);
}

std::vector<uint8_t> encode(const Program& program)
{
    workload::Builder builder;
    for (auto const& op : program.ops) {
        switch (op.code) {
        case abi::OpCode::Put:
            builder.put(op.key, std::string_view(reinterpret_cast<const char*>(op.value.data()), op.value.size()));
            break;
        case abi::OpCode::PutSeeded:
            builder.put_seeded(op.key, op.value_length, op.value_seed);
            break;
        case abi::OpCode::Delete:
            builder.del(op.key);
            break;
        case abi::OpCode::Get:
            builder.get(op.key);
            break;
        case abi::OpCode::Begin:
            builder.begin();
            break;
        case abi::OpCode::Commit:
            builder.commit();
            break;
        case abi::OpCode::Sync:
            builder.sync();
            break;
        }
    }
    return builder.finish(program.seed);
}

size_t encoded_size(const Program& program)
{
    size_t size = abi::kWorkloadHeaderSize;
    for (auto const& op : program.ops) {
        size += 1;
        if (op.has_key())
            size += 1 + op.key.size();
        if (op.code == abi::OpCode::Put)
            size += 4 + op.value.size();
        if (op.code == abi::OpCode::PutSeeded)
            size += 4 + 8;
    }
    return size;
}

const char* kind_name(abi::OpCode code) { return abi::op_name(code); }

} // namespace ferros::fuzz
