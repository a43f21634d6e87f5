#include "store_fixture.h"
#include "syscall/dispatch.h"
#include <cstring>
#include <ferros/abi/workload.h>
#include <string>

using namespace ferros;
using namespace ferros::kernel;
using ferros::abi::Syscall;

namespace {

int64_t fail(ErrorCode code) { return -static_cast<int64_t>(code); }

uint64_t address(const void* pointer) { return reinterpret_cast<uint64_t>(pointer); }

// The caller's memory is the test's own: every non-null range is the caller's, except the
// one the test declares forbidden (a stand-in for an unmapped page).
class HostMemory final : public UserMemory {
public:
    bool allows(UserRange range, UserAccess) const override
    {
        if (range.length == 0)
            return true;
        if (range.address + range.length < range.address)
            return false;
        return range.address != 0 && (range.address >= m_forbidden + 1 || range.address + range.length <= m_forbidden);
    }
    // An empty range may be a null pointer, which memcpy must not be handed (UBSan says so).
    bool copy_in(void* destination, uint64_t source, size_t count) override
    {
        if (count > 0)
            std::memcpy(destination, reinterpret_cast<const void*>(source), count);
        return true;
    }
    bool copy_out(uint64_t destination, const void* source, size_t count) override
    {
        if (count > 0)
            std::memcpy(reinterpret_cast<void*>(destination), source, count);
        return true;
    }
    uint64_t m_forbidden { 0 };
};

uint8_t g_value_buffer[ferros::abi::kMaxValueLength];

class Dispatch : public test_support::StoreFixture {
protected:
    void SetUp() override
    {
        StoreFixture::SetUp();
        syscall_attach_store(&m_store, Bytes(g_value_buffer));
    }
    void TearDown() override { syscall_attach_store(nullptr, {}); }

    // a0 is the store handle, which the kernel checks before this layer: the arguments here
    // are the ones after it.
    int64_t call(Syscall number, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0, uint64_t a4 = 0)
    {
        ferros::abi::SyscallArgs args;
        args.a[0] = ferros::abi::kStoreHandle;
        args.a[1] = a1;
        args.a[2] = a2;
        args.a[3] = a3;
        args.a[4] = a4;
        return syscall_dispatch(number, args, m_memory);
    }
    int64_t put(const std::string& key, const std::string& value)
    {
        return call(Syscall::StorePut, address(key.data()), key.size(), address(value.data()), value.size());
    }
    int64_t del(const std::string& key) { return call(Syscall::StoreDelete, address(key.data()), key.size()); }
    // The value, or "<-N>" for an error result.
    std::string get(const std::string& key)
    {
        int64_t result = call(Syscall::StoreGet, address(key.data()), key.size(), address(m_buffer), sizeof(m_buffer));
        return result < 0 ? "<" + std::to_string(result) + ">" : std::string(reinterpret_cast<char*>(m_buffer), result);
    }

    uint8_t m_buffer[1024];
    HostMemory m_memory;
};

} // namespace

TEST_F(Dispatch, PutGetDeleteOutsideATransactionCommitAtOnce)
{
    EXPECT_EQ(put("alpha", "one"), 0);
    EXPECT_EQ(get("alpha"), "one");
    EXPECT_EQ(put("alpha", ""), 0);
    EXPECT_EQ(get("alpha"), "");
    EXPECT_EQ(del("alpha"), 0);
    EXPECT_EQ(get("alpha"), "<" + std::to_string(fail(ErrorCode::NotFound)) + ">");
    EXPECT_EQ(call(Syscall::StoreSync), 0);
}

TEST_F(Dispatch, DeletingAMissingKeySucceeds)
{
    // docs/syscalls.md: a delete is idempotent, as the store's remove is.
    EXPECT_EQ(del("never-written"), 0);
}

TEST_F(Dispatch, TransactionsBecomeVisibleAtCommit)
{
    EXPECT_EQ(call(Syscall::StoreBegin), 0);
    EXPECT_EQ(call(Syscall::StoreBegin), fail(ErrorCode::Busy));
    EXPECT_EQ(put("a", "1"), 0);
    EXPECT_EQ(put("b", "2"), 0);
    EXPECT_EQ(get("a"), "<" + std::to_string(fail(ErrorCode::NotFound)) + ">");
    EXPECT_EQ(call(Syscall::StoreCommit), 0);
    EXPECT_EQ(get("a"), "1");
    EXPECT_EQ(get("b"), "2");
    EXPECT_EQ(call(Syscall::StoreCommit), fail(ErrorCode::NoTransaction));
    // After the commit, puts commit on their own again.
    EXPECT_EQ(put("c", "3"), 0);
    EXPECT_EQ(get("c"), "3");
}

TEST_F(Dispatch, RejectedCallsChangeNothing)
{
    std::string key = "k";
    std::string big(65537, 'x');
    EXPECT_EQ(put("k", "v"), 0);
    EXPECT_EQ(
        call(Syscall::StorePut, address(key.data()), 1, address(big.data()), big.size()), fail(ErrorCode::TooBig));
    EXPECT_EQ(call(Syscall::StorePut, address(key.data()), 1, 0, 5), fail(kBadAddress));
    EXPECT_EQ(call(Syscall::StoreDelete, 0, 1), fail(kBadAddress));
    EXPECT_EQ(call(Syscall::StoreDelete, address(key.data()), 0), fail(ErrorCode::InvalidArgument));
    EXPECT_EQ(call(static_cast<Syscall>(99)), fail(kNoSuchCall));
    // A value range the caller may not read: refused before the store changes.
    std::string value = "new";
    m_memory.m_forbidden = address(value.data()) + 1;
    EXPECT_EQ(call(Syscall::StorePut, address(key.data()), 1, address(value.data()), value.size()), fail(kBadAddress));
    // A get into a buffer the caller may not write: refused, nothing copied.
    m_memory.m_forbidden = address(m_buffer) + 2;
    EXPECT_EQ(call(Syscall::StoreGet, address(key.data()), 1, address(m_buffer), 4), fail(kBadAddress));
    m_memory.m_forbidden = 0;
    EXPECT_EQ(get("k"), "v");
}

TEST_F(Dispatch, GetIntoASmallBufferIsTooBig)
{
    std::string key = "k";
    EXPECT_EQ(put("k", "value"), 0);
    EXPECT_EQ(call(Syscall::StoreGet, address(key.data()), 1, address(m_buffer), 4), fail(ErrorCode::TooBig));
}

TEST(DispatchWithoutStore, StoreCallsAreUnsupported)
{
    syscall_attach_store(nullptr, {});
    HostMemory memory;
    ferros::abi::SyscallArgs args;
    EXPECT_EQ(syscall_dispatch(Syscall::StoreSync, args, memory), fail(ErrorCode::Unsupported));
    // Validation still comes first.
    EXPECT_EQ(syscall_dispatch(Syscall::StoreDelete, args, memory), fail(ErrorCode::InvalidArgument));
}
