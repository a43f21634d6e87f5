#include "store_calls.h"
#include "syscall/validate.h"

namespace ferros::fuzz {

namespace {

    // The runner is the server's one client; its badge (pid) is any non-zero number.
    constexpr uint64_t kClient = 1;

    // What the caller lent with the call, read and written as the server's ReadLent and
    // WriteLent would: within the range the kernel checked, a write only where it may write.
    class HostLent final : public user::LentMemory {
    public:
        HostLent(kernel::UserMemory& memory, kernel::UserRange range, bool writable)
            : m_memory(memory)
            , m_range(range)
            , m_writable(writable)
        {
        }
        uint64_t length() const override { return m_range.length; }
        ErrorOr<void> read(Bytes out) override
        {
            if (out.size() > m_range.length)
                return Error(ErrorCode::OutOfRange, "beyond the lent memory");
            return kernel::copy_in(m_memory, out.data(), kernel::UserRange { m_range.address, out.size() });
        }
        ErrorOr<void> write(ReadonlyBytes data) override
        {
            if (!m_writable)
                return Error(ErrorCode::AccessDenied, "lent read-only");
            if (data.size() > m_range.length)
                return Error(ErrorCode::OutOfRange, "beyond the lent memory");
            return kernel::copy_out(m_memory, m_range.address, data.data(), data.size());
        }

    private:
        kernel::UserMemory& m_memory;
        kernel::UserRange m_range;
        bool m_writable;
    };

} // namespace

ErrorOr<int64_t> HostStoreCalls::checked_call(
    abi::Syscall call, const abi::SyscallArgs& args, kernel::UserMemory& memory)
{
    // The runner's store handle carries Read and Write, the rights every store call needs.
    if (args.a[0] != abi::kStoreHandle)
        return Error(ErrorCode::BadHandle, "not the store handle");
    auto const decoded = TRY(kernel::validate_syscall(call, args));
    TRY(kernel::check_range(memory, decoded.key, kernel::UserAccess::Read));
    TRY(kernel::check_range(memory, decoded.value, kernel::UserAccess::Read));
    TRY(kernel::check_range(memory, decoded.buffer, kernel::UserAccess::Write));
    TRY(kernel::copy_in(memory, m_key, decoded.key));
    kernel::UserRange lent {};
    bool writable = false;
    if (call == abi::Syscall::StorePut)
        lent = decoded.value;
    if (call == abi::Syscall::StoreGet) {
        lent = decoded.buffer;
        writable = true;
    }
    HostLent memory_lent(memory, lent, writable);
    int64_t const result
        = m_service.handle(static_cast<uint64_t>(call), kClient, ReadonlyBytes(m_key, decoded.key.length), memory_lent);
    if (call == abi::Syscall::StoreGet && result > 0 && static_cast<uint64_t>(result) > decoded.buffer.length)
        return Error(ErrorCode::Io, "the store server answered a length the buffer cannot hold");
    return result;
}

int64_t HostStoreCalls::call(abi::Syscall call, const abi::SyscallArgs& args, kernel::UserMemory& memory)
{
    auto result = checked_call(call, args, memory);
    return result.is_error() ? -static_cast<int64_t>(result.error().code()) : result.value();
}

} // namespace ferros::fuzz
