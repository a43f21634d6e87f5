// The store server's requests on the host build of the store: what a store call does once the
// kernel has checked it and sent it (the kernel's checks are kernel/tests/validate_test.cpp).

#include "store_service.h"
#include <cstring>
#include <ferros/storage/host_ssd.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ferros;
using ferros::abi::Syscall;

namespace {

int64_t fail(ErrorCode code) { return -static_cast<int64_t>(code); }

// Lent memory of the test's own: a string the server may read, or a buffer it may write.
class HostLent final : public user::LentMemory {
public:
    HostLent() = default;
    explicit HostLent(std::string readable)
        : m_bytes(readable.begin(), readable.end())
    {
    }
    HostLent(size_t capacity, bool writable)
        : m_bytes(capacity)
        , m_writable(writable)
    {
    }
    uint64_t length() const override { return m_bytes.size(); }
    ErrorOr<void> read(Bytes out) override
    {
        if (out.size() > m_bytes.size())
            return Error(ErrorCode::OutOfRange, "past the lent memory");
        if (!out.empty())
            std::memcpy(out.data(), m_bytes.data(), out.size());
        return {};
    }
    ErrorOr<void> write(ReadonlyBytes data) override
    {
        if (!m_writable)
            return Error(ErrorCode::AccessDenied, "lent read-only");
        if (data.size() > m_bytes.size())
            return Error(ErrorCode::OutOfRange, "past the lent memory");
        if (!data.empty())
            std::memcpy(m_bytes.data(), data.data(), data.size());
        ++m_writes;
        return {};
    }
    std::vector<uint8_t> m_bytes;
    bool m_writable { false };
    int m_writes { 0 };
};

std::vector<uint8_t> g_value_buffer(ferros::abi::kMaxValueLength);

class StoreServiceTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_FALSE(storage::Store::format(m_ssd).is_error());
        ASSERT_FALSE(m_store.mount().is_error());
    }

    int64_t request(Syscall call, const std::string& key = "", HostLent lent = HostLent(), uint64_t client = 7)
    {
        return m_service.handle(static_cast<uint64_t>(call), client,
            ReadonlyBytes(reinterpret_cast<const uint8_t*>(key.data()), key.size()), lent);
    }
    int64_t put(const std::string& key, const std::string& value, uint64_t client = 7)
    {
        return request(Syscall::StorePut, key, HostLent(value), client);
    }
    int64_t del(const std::string& key, uint64_t client = 7) { return request(Syscall::StoreDelete, key, {}, client); }
    // The value, or "<-N>" for an error result.
    std::string get(const std::string& key, size_t capacity = 1024)
    {
        HostLent buffer(capacity, true);
        int64_t result = m_service.handle(static_cast<uint64_t>(Syscall::StoreGet), 7,
            ReadonlyBytes(reinterpret_cast<const uint8_t*>(key.data()), key.size()), buffer);
        return result < 0 ? "<" + std::to_string(result) + ">"
                          : std::string(reinterpret_cast<char*>(buffer.m_bytes.data()), result);
    }
    static std::string error(ErrorCode code) { return "<" + std::to_string(fail(code)) + ">"; }

    storage::HostSsd m_ssd { 2 << 20, storage::HostSsd::Tracking::Off };
    std::vector<uint64_t> m_memory = std::vector<uint64_t>(storage::Store::kMemorySize / 8 + 1);
    storage::Store m_store { m_ssd, Bytes(reinterpret_cast<uint8_t*>(m_memory.data()), storage::Store::kMemorySize) };
    user::StoreService m_service { m_store, Bytes(g_value_buffer.data(), g_value_buffer.size()) };
};

} // namespace

TEST_F(StoreServiceTest, PutGetDeleteOutsideATransactionCommitAtOnce)
{
    EXPECT_EQ(put("alpha", "one"), 0);
    EXPECT_EQ(get("alpha"), "one");
    EXPECT_EQ(put("alpha", ""), 0);
    EXPECT_EQ(get("alpha"), "");
    EXPECT_EQ(del("alpha"), 0);
    EXPECT_EQ(get("alpha"), error(ErrorCode::NotFound));
    EXPECT_EQ(request(Syscall::StoreSync), 0);
}

TEST_F(StoreServiceTest, DeletingAMissingKeySucceeds)
{
    // docs/syscalls.md: a delete is idempotent, as the store's remove is.
    EXPECT_EQ(del("never-written"), 0);
}

TEST_F(StoreServiceTest, TransactionsBecomeVisibleAtCommit)
{
    EXPECT_EQ(request(Syscall::StoreBegin), 0);
    EXPECT_EQ(request(Syscall::StoreBegin), fail(ErrorCode::Busy));
    EXPECT_EQ(put("a", "1"), 0);
    EXPECT_EQ(put("b", "2"), 0);
    EXPECT_EQ(get("a"), error(ErrorCode::NotFound));
    EXPECT_EQ(request(Syscall::StoreCommit), 0);
    EXPECT_EQ(get("a"), "1");
    EXPECT_EQ(get("b"), "2");
    EXPECT_EQ(request(Syscall::StoreCommit), fail(ErrorCode::NoTransaction));
    // After the commit, puts commit on their own again.
    EXPECT_EQ(put("c", "3"), 0);
    EXPECT_EQ(get("c"), "3");
}

TEST_F(StoreServiceTest, ATransactionBelongsToTheClientThatOpenedIt)
{
    EXPECT_EQ(request(Syscall::StoreBegin, "", {}, 1), 0);
    EXPECT_EQ(put("mine", "1", 1), 0);
    // Another client neither joins it nor closes it; its own change finds the store busy.
    EXPECT_EQ(put("theirs", "2", 2), fail(ErrorCode::Busy));
    EXPECT_EQ(request(Syscall::StoreCommit, "", {}, 2), fail(ErrorCode::NoTransaction));
    EXPECT_EQ(get("mine"), error(ErrorCode::NotFound));
    EXPECT_EQ(request(Syscall::StoreCommit, "", {}, 1), 0);
    EXPECT_EQ(get("mine"), "1");
    EXPECT_EQ(get("theirs"), error(ErrorCode::NotFound));
}

TEST_F(StoreServiceTest, RejectedRequestsChangeNothing)
{
    EXPECT_EQ(put("k", "v"), 0);
    EXPECT_EQ(put("k", std::string(ferros::abi::kMaxValueLength + 1, 'x')), fail(ErrorCode::TooBig));
    EXPECT_EQ(del(""), fail(ErrorCode::InvalidArgument));
    EXPECT_EQ(put(std::string(256, 'k'), "v"), fail(ErrorCode::TooBig));
    EXPECT_EQ(request(static_cast<Syscall>(99), "k"), fail(ErrorCode::NoSuchCall));
    EXPECT_EQ(request(Syscall::Exit, "k"), fail(ErrorCode::NoSuchCall));
    EXPECT_EQ(get("k"), "v");
}

TEST_F(StoreServiceTest, GetIntoASmallBufferIsTooBigAndWritesNothing)
{
    EXPECT_EQ(put("k", "value"), 0);
    HostLent small(4, true);
    EXPECT_EQ(request(Syscall::StoreGet, "k", small), fail(ErrorCode::TooBig));
    EXPECT_EQ(get("k", 5), "value");
}

TEST_F(StoreServiceTest, AGetIntoMemoryLentReadOnlyFails)
{
    EXPECT_EQ(put("k", "value"), 0);
    EXPECT_EQ(request(Syscall::StoreGet, "k", HostLent(16, false)), fail(ErrorCode::AccessDenied));
}

TEST_F(StoreServiceTest, ALargeValueTravelsThroughTheLentMemory)
{
    std::string value(ferros::abi::kMaxValueLength, 'v');
    for (size_t i = 0; i < value.size(); ++i)
        value[i] = static_cast<char>('a' + i % 26);
    EXPECT_EQ(put("big", value), 0);
    EXPECT_EQ(get("big", value.size()), value);
}
