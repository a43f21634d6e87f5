#include "workload_runner.h"
#include <cstring>
#include <ferros/base/crc32c.h>
#include <ferros/base/error.h>
#include <ferros/workload/builder.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ferros;
using namespace ferros::user;
using ferros::abi::MarkerKind;
using ferros::abi::Syscall;

namespace {

// What the fakes saw, in order: markers and calls interleaved.
std::vector<std::string> g_events;
std::vector<int64_t> g_results; // what the fake returns, call by call (0 when exhausted)
size_t g_next_result = 0;

int64_t fake_syscall(Syscall call, const ferros::abi::SyscallArgs& args)
{
    std::string event = std::string("call ") + ferros::abi::syscall_name(call);
    if (call == Syscall::StorePut || call == Syscall::StoreDelete || call == Syscall::StoreGet)
        event += " " + std::string(reinterpret_cast<const char*>(args.a[1]), args.a[2]);
    if (call == Syscall::StorePut) {
        auto* value = reinterpret_cast<const uint8_t*>(args.a[3]);
        event += " len=" + std::to_string(args.a[4]);
        if (args.a[4] > 0)
            event += " first=" + std::to_string(value[0]) + " last=" + std::to_string(value[args.a[4] - 1]);
    }
    // Every store call names the runner's store handle.
    if (args.a[0] != ferros::abi::kStoreHandle)
        event += " wrong-handle";
    g_events.push_back(event);
    int64_t const result = g_next_result < g_results.size() ? g_results[g_next_result++] : 0;
    // A get that answers n bytes answers "v" n times.
    if (call == Syscall::StoreGet && result > 0)
        std::memset(reinterpret_cast<void*>(args.a[3]), 'v', static_cast<size_t>(result));
    return result;
}

void fake_marker(MarkerKind kind, uint64_t payload)
{
    const char* name = kind == MarkerKind::OpSubmitted ? "submitted"
        : kind == MarkerKind::OpDurable                ? "durable"
        : kind == MarkerKind::OpFailed                 ? "failed"
        : kind == MarkerKind::GetAnswered              ? "answered"
                                                       : "other";
    g_events.push_back(std::string(name) + " " + std::to_string(payload));
}

struct Run {
    WorkloadSummary summary;
    std::vector<std::string> events;
};

Run run(const std::vector<uint8_t>& file, std::vector<int64_t> results)
{
    g_events.clear();
    g_results = std::move(results);
    g_next_result = 0;
    auto workload = ferros::abi::Workload::parse(ReadonlyBytes(file.data(), file.size()));
    EXPECT_FALSE(workload.is_error());
    static uint8_t scratch[ferros::abi::kMaxValueLength];
    auto summary = run_workload(workload.value(), fake_syscall, fake_marker, Bytes(scratch));
    return { summary, g_events };
}

std::string seeded_bytes(uint64_t seed, uint32_t length)
{
    ferros::abi::Op op;
    op.code = ferros::abi::OpCode::PutSeeded;
    op.value_length = length;
    op.value_seed = seed;
    std::vector<uint8_t> value(length);
    ferros::abi::materialize_value(op, Bytes(value.data(), value.size()));
    return "first=" + std::to_string(value.front()) + " last=" + std::to_string(value.back());
}

} // namespace

TEST(WorkloadRunner, MarksEveryOpAndEverySuccessfulSync)
{
    auto file = workload::Builder()
                    .put("a", "xyz")
                    .sync()
                    .begin()
                    .del("b")
                    .put_seeded("c", 65536, 7)
                    .commit()
                    .get("a")
                    .sync()
                    .finish();
    auto result = run(file, {});
    std::vector<std::string> expected = {
        "submitted 0",
        "call StorePut a len=3 first=120 last=122",
        "submitted 1",
        "call StoreSync",
        "durable 1",
        "submitted 2",
        "call StoreBegin",
        "submitted 3",
        "call StoreDelete b",
        "submitted 4",
        "call StorePut c len=65536 " + seeded_bytes(7, 65536),
        "submitted 5",
        "call StoreCommit",
        "submitted 6",
        "call StoreGet a",
        "answered 0", // an empty value: length 0, CRC32C 0
        "submitted 7",
        "call StoreSync",
        "durable 7",
    };
    EXPECT_EQ(result.events, expected);
    EXPECT_EQ(result.summary.ops, 8u);
    EXPECT_EQ(result.summary.errors, 0u);
}

TEST(WorkloadRunner, ErrorsAreMarkedFailedAndAFailedSyncIsNotDurable)
{
    auto file = workload::Builder().commit().sync().put("k", "").sync().finish();
    auto result = run(file, { -1000, -5, 0, 0 });
    std::vector<std::string> expected = {
        "submitted 0",
        "call StoreCommit",
        "failed 0",
        "submitted 1",
        "call StoreSync",
        "failed 1",
        "submitted 2",
        "call StorePut k len=0",
        "submitted 3",
        "call StoreSync",
        "durable 3",
    };
    EXPECT_EQ(result.events, expected);
    EXPECT_EQ(result.summary.ops, 4u);
    EXPECT_EQ(result.summary.errors, 2u);
}

TEST(WorkloadRunner, AnEmptyWorkloadDoesNothing)
{
    auto result = run(workload::Builder().finish(), {});
    EXPECT_TRUE(result.events.empty());
    EXPECT_EQ(result.summary.ops, 0u);
}

TEST(WorkloadRunner, AGetReportsWhatItReturnedOrThatTheKeyIsAbsent)
{
    auto file = workload::Builder().get("a").get("b").get("c").finish();
    auto result = run(file, { 5, -static_cast<int64_t>(ErrorCode::NotFound), -static_cast<int64_t>(ErrorCode::Io) });
    uint64_t const five_v = ferros::abi::get_answer_payload(5, crc32c(0, "vvvvv", 5));
    std::vector<std::string> expected = {
        "submitted 0",
        "call StoreGet a",
        "answered " + std::to_string(five_v),
        "submitted 1",
        "call StoreGet b",
        "answered " + std::to_string(ferros::abi::kGetAnswerAbsent),
        "failed 1",
        // Any other error is no answer: the host has nothing to judge.
        "submitted 2",
        "call StoreGet c",
        "failed 2",
    };
    EXPECT_EQ(result.events, expected);
    EXPECT_EQ(five_v >> 32, 5u);
}
