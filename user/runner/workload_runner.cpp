#include "workload_runner.h"
#include <ferros/base/crc32c.h>
#include <ferros/base/error.h>

namespace ferros::user {

namespace {

    uint64_t address(const void* pointer) { return reinterpret_cast<uint64_t>(pointer); }

    // The call an operation makes, with its arguments as the `syscall` passes them: the store
    // handle first.
    struct Call {
        abi::Syscall number;
        abi::SyscallArgs args;
    };

    Call call_for(const abi::Op& op, Bytes scratch)
    {
        Call call { abi::Syscall::StoreSync, {} };
        call.args.a[0] = abi::kStoreHandle;
        call.args.a[1] = address(op.key.data());
        call.args.a[2] = op.key.size();
        switch (op.code) {
        case abi::OpCode::Put:
            call.number = abi::Syscall::StorePut;
            call.args.a[3] = address(op.value.data());
            call.args.a[4] = op.value_length;
            break;
        case abi::OpCode::PutSeeded:
            abi::materialize_value(op, scratch);
            call.number = abi::Syscall::StorePut;
            call.args.a[3] = address(scratch.data());
            call.args.a[4] = op.value_length;
            break;
        case abi::OpCode::Delete:
            call.number = abi::Syscall::StoreDelete;
            break;
        case abi::OpCode::Begin:
            call.number = abi::Syscall::StoreBegin;
            break;
        case abi::OpCode::Commit:
            call.number = abi::Syscall::StoreCommit;
            break;
        case abi::OpCode::Sync:
            call.number = abi::Syscall::StoreSync;
            break;
        case abi::OpCode::Get:
            call.number = abi::Syscall::StoreGet;
            call.args.a[3] = address(scratch.data());
            call.args.a[4] = scratch.size();
            break;
        }
        return call;
    }

} // namespace

WorkloadSummary run_workload(const abi::Workload& workload, SyscallEntry syscall, MarkerEntry marker, Bytes scratch)
{
    WorkloadSummary summary;
    for (auto cursor = workload.ops(); !cursor.at_end();) {
        uint32_t const index = cursor.index();
        abi::Op const op = cursor.next();
        // Submitted before the value is made: from here on the campaign may see the op's
        // effects, and the window a cut can lose (R7) starts here.
        marker(abi::MarkerKind::OpSubmitted, index);
        Call const call = call_for(op, scratch);
        int64_t const result = syscall(call.number, call.args);
        ++summary.ops;
        // What a get returned goes to the host, which knows what it should have been: a wrong
        // answer is a failure of its own, whatever the device holds at the end.
        if (op.code == abi::OpCode::Get && result >= 0 && static_cast<uint64_t>(result) <= scratch.size())
            marker(abi::MarkerKind::GetAnswered,
                abi::get_answer_payload(
                    static_cast<uint64_t>(result), crc32c(0, scratch.data(), static_cast<size_t>(result))));
        else if (op.code == abi::OpCode::Get && result == -static_cast<int64_t>(ErrorCode::NotFound))
            marker(abi::MarkerKind::GetAnswered, abi::kGetAnswerAbsent);
        if (result < 0) {
            // The campaign's oracle withdraws what a refused call would have changed.
            marker(abi::MarkerKind::OpFailed, index);
            ++summary.errors;
        } else if (op.code == abi::OpCode::Sync)
            marker(abi::MarkerKind::OpDurable, index);
    }
    return summary;
}

} // namespace ferros::user
