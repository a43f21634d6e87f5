#include "syscall/validate.h"
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::kernel;
using ferros::abi::Syscall;

namespace {

uint8_t g_bytes[70000];

uint64_t address(const void* pointer) { return reinterpret_cast<uint64_t>(pointer); }

// The arguments after the store handle (a[0], checked before this layer).
ferros::abi::SyscallArgs args(uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0, uint64_t a4 = 0)
{
    ferros::abi::SyscallArgs result;
    result.a[0] = ferros::abi::kStoreHandle;
    result.a[1] = a1;
    result.a[2] = a2;
    result.a[3] = a3;
    result.a[4] = a4;
    return result;
}

ErrorCode refusal(Syscall call, const ferros::abi::SyscallArgs& arguments)
{
    auto result = validate_syscall(call, arguments);
    EXPECT_TRUE(result.is_error());
    return result.is_error() ? result.error().code() : ErrorCode::InvalidArgument;
}

} // namespace

TEST(ValidateSyscall, AcceptsTheLimits)
{
    auto put = validate_syscall(Syscall::StorePut, args(address(g_bytes), 255, address(g_bytes), 65536));
    ASSERT_FALSE(put.is_error());
    EXPECT_EQ(put.value().key.length, 255u);
    EXPECT_EQ(put.value().key.address, address(g_bytes));
    EXPECT_EQ(put.value().value.length, 65536u);
    EXPECT_FALSE(validate_syscall(Syscall::StorePut, args(address(g_bytes), 1, 0, 0)).is_error());
    EXPECT_FALSE(validate_syscall(Syscall::StoreDelete, args(address(g_bytes), 1)).is_error());
    EXPECT_FALSE(validate_syscall(Syscall::StoreGet, args(address(g_bytes), 3, 0, 0)).is_error());
    // Calls without arguments ignore whatever the registers hold.
    EXPECT_FALSE(validate_syscall(Syscall::StoreSync, args(1, 2, 3, 4)).is_error());
    EXPECT_FALSE(validate_syscall(Syscall::StoreBegin, args()).is_error());
    EXPECT_FALSE(validate_syscall(Syscall::StoreCommit, args()).is_error());
}

TEST(ValidateSyscall, RefusesBadKeys)
{
    for (Syscall call : { Syscall::StorePut, Syscall::StoreDelete, Syscall::StoreGet }) {
        EXPECT_EQ(refusal(call, args(address(g_bytes), 0)), ErrorCode::InvalidArgument);
        EXPECT_EQ(refusal(call, args(address(g_bytes), 256)), ErrorCode::TooBig);
        EXPECT_EQ(refusal(call, args(address(g_bytes), 1ull << 40)), ErrorCode::TooBig);
    }
}

TEST(ValidateSyscall, RefusesBadValuesAndBuffers)
{
    EXPECT_EQ(refusal(Syscall::StorePut, args(address(g_bytes), 1, address(g_bytes), 65537)), ErrorCode::TooBig);
    EXPECT_EQ(refusal(Syscall::StorePut, args(address(g_bytes), 1, address(g_bytes), ~0ull)), ErrorCode::TooBig);
}

TEST(ValidateSyscall, RefusesUnknownNumbers)
{
    EXPECT_EQ(refusal(static_cast<Syscall>(0), args()), kNoSuchCall);
    // Exit is a call, but not a store call: this layer refuses it too.
    EXPECT_EQ(refusal(Syscall::Exit, args()), kNoSuchCall);
    EXPECT_EQ(refusal(static_cast<Syscall>(0xffffffffu), args()), kNoSuchCall);
}
