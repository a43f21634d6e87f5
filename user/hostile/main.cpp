// The hostile program (docs/syscalls.md, "what a bad call gets"): every system call with every
// class of bad argument, each expecting its documented error; then, through the faulter, every
// kind of fault a process can commit, each of which must kill only the faulter. It holds only
// the console, the bundle (Spawn), a Send handle to the faulter's endpoint (handle 8) and a Send
// handle to an endpoint nobody receives on (handle 9): no store, no markers.
//
// Prints `ferros: hostile: checks=N failed=F faults=K` and exits with 0 when F is 0.

#include "checks.h"
#include "faults.h"
#include <ferros/abi/bundle.h>
#include <ferros/user/console.h>
#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

namespace {

using namespace ferros;
using abi::Syscall;
using user::raw_syscall;

constexpr uint64_t kKernelAddress = 0x100000; // the kernel image
constexpr uint64_t kUnmapped = abi::kUserBase; // the user half's first page is never mapped
constexpr uint64_t kNonCanonical = 0x8000'0000'0000'0000ull;
constexpr abi::Handle kFaulter = abi::kFirstEndpointHandle;
constexpr abi::Handle kDeadEndpoint = abi::kFirstEndpointHandle + 1;

uint64_t n(Syscall call) { return static_cast<uint64_t>(call); }

void check_numbers(user::Checks& c)
{
    c.expect_error("number 0", raw_syscall(0), ErrorCode::NoSuchCall);
    c.expect_error("number 21", raw_syscall(21), ErrorCode::NoSuchCall);
    c.expect_error("number 2^32 + 7", raw_syscall((1ull << 32) + 7), ErrorCode::NoSuchCall);
    c.expect_error("number -1", raw_syscall(~0ull), ErrorCode::NoSuchCall);
}

void check_ranges(user::Checks& c)
{
    // Written from its second byte: a misaligned pointer (the array itself is aligned).
    static const char text[] = " ferros: hostile: a misaligned console write\n";
    auto write = [](uint64_t pointer, uint64_t length) {
        return raw_syscall(n(Syscall::ConsoleWrite), abi::kConsoleHandle, pointer, length);
    };
    c.expect_error("console kernel pointer", write(kKernelAddress, 8), ErrorCode::BadAddress);
    c.expect_error("console unmapped", write(kUnmapped, 8), ErrorCode::BadAddress);
    c.expect_error("console non-canonical", write(kNonCanonical, 8), ErrorCode::BadAddress);
    c.expect_error("console wrapping range", write(~0ull - 7, 16), ErrorCode::BadAddress);
    c.expect_error("console into the kernel half", write(abi::kUserBase - 4, 8), ErrorCode::BadAddress);
    c.expect_error("console over-long", write(user::address(text), abi::kMaxConsoleWrite + 1), ErrorCode::TooBig);
    // A misaligned pointer is no error by itself; a range running off its mapping is.
    c.expect_value("console misaligned, in range", write(user::address(text) + 1, sizeof(text) - 2),
        static_cast<int64_t>(sizeof(text) - 2));
    c.expect_error("console past the stack top", write(abi::kUserStackTop - 1, 2), ErrorCode::BadAddress);
    c.expect_value("console length 0 anywhere", write(kKernelAddress, 0), 0);
}

void check_handles(user::Checks& c)
{
    static const char key[] = "k";
    c.expect_error(
        "console handle 0", raw_syscall(n(Syscall::ConsoleWrite), 0, user::address(key), 1), ErrorCode::BadHandle);
    c.expect_error(
        "console handle 16", raw_syscall(n(Syscall::ConsoleWrite), 16, user::address(key), 1), ErrorCode::BadHandle);
    c.expect_error("console handle 2^40", raw_syscall(n(Syscall::ConsoleWrite), 1ull << 40, user::address(key), 1),
        ErrorCode::BadHandle);
    c.expect_error("console on an endpoint handle",
        raw_syscall(n(Syscall::ConsoleWrite), kFaulter, user::address(key), 1), ErrorCode::BadHandle);
    // Not granted: the store and the markers.
    c.expect_error("store put without a store handle",
        raw_syscall(n(Syscall::StorePut), abi::kStoreHandle, user::address(key), 1, user::address(key), 1),
        ErrorCode::BadHandle);
    c.expect_error("store sync without a store handle", raw_syscall(n(Syscall::StoreSync), abi::kStoreHandle),
        ErrorCode::BadHandle);
    c.expect_error("store live without a store handle", raw_syscall(n(Syscall::StoreLive), abi::kStoreHandle),
        ErrorCode::BadHandle);
    c.expect_error("store get with the console handle",
        raw_syscall(n(Syscall::StoreGet), abi::kConsoleHandle, user::address(key), 1, user::address(key), 1),
        ErrorCode::BadHandle);
    c.expect_error("mark without a markers handle",
        raw_syscall(n(Syscall::Mark), abi::kMarkersHandle, static_cast<uint64_t>(abi::MarkerKind::OpDurable), 0),
        ErrorCode::BadHandle);
    // Rights: Send-only endpoint handles cannot receive or reply.
    uint8_t buffer[8];
    c.expect_error("receive on a send-only handle",
        raw_syscall(n(Syscall::Receive), kFaulter, user::address(buffer), 8), ErrorCode::AccessDenied);
    c.expect_error("reply on a send-only handle", raw_syscall(n(Syscall::Reply), kFaulter, user::address(buffer), 1),
        ErrorCode::AccessDenied);
    c.expect_error("read lent memory on a send-only handle",
        raw_syscall(n(Syscall::ReadLent), kFaulter, 0, user::address(buffer), 8), ErrorCode::AccessDenied);
    c.expect_error("write lent memory on a send-only handle",
        raw_syscall(n(Syscall::WriteLent), kFaulter, 0, user::address(buffer), 8), ErrorCode::AccessDenied);
    c.expect_error("wait on an endpoint handle", raw_syscall(n(Syscall::Wait), kFaulter), ErrorCode::BadHandle);
    c.expect_error("spawn with the console handle",
        raw_syscall(n(Syscall::Spawn), abi::kConsoleHandle, user::address("faulter"), 7), ErrorCode::BadHandle);
    c.expect_error("close handle 0", raw_syscall(n(Syscall::Close), 0), ErrorCode::BadHandle);
    c.expect_error("close an empty slot", raw_syscall(n(Syscall::Close), 15), ErrorCode::BadHandle);
}

void check_arguments(user::Checks& c)
{
    uint8_t buffer[abi::kMaxMessageLength + 1] = {};
    c.expect_error("spawn name of length 0", raw_syscall(n(Syscall::Spawn), abi::kBundleHandle, user::address("x"), 0),
        ErrorCode::InvalidArgument);
    c.expect_error("spawn name of length 16",
        raw_syscall(n(Syscall::Spawn), abi::kBundleHandle, user::address(buffer), 16), ErrorCode::InvalidArgument);
    c.expect_error("spawn unknown program",
        raw_syscall(n(Syscall::Spawn), abi::kBundleHandle, user::address("nobody"), 6), ErrorCode::NotFound);
    c.expect_error("spawn name in the kernel", raw_syscall(n(Syscall::Spawn), abi::kBundleHandle, kKernelAddress, 7),
        ErrorCode::BadAddress);
    c.expect_error("exit status 256", raw_syscall(n(Syscall::Exit), 256), ErrorCode::InvalidArgument);
    c.expect_error("mark: the handle is checked before the kind",
        raw_syscall(n(Syscall::Mark), abi::kMarkersHandle, 0x102, 0), ErrorCode::BadHandle);
    c.expect_error("call message over 256 bytes",
        raw_syscall(n(Syscall::Call), kFaulter, user::address(buffer), sizeof(buffer), user::address(buffer), 8),
        ErrorCode::TooBig);
    c.expect_error("call message in the kernel",
        raw_syscall(n(Syscall::Call), kFaulter, kKernelAddress, 8, user::address(buffer), 8), ErrorCode::BadAddress);
    // The argument page is mapped read-only: a reply may not land there.
    c.expect_error("call reply range wrapping",
        raw_syscall(n(Syscall::Call), kFaulter, user::address(buffer), 1, ~0ull - 0xfff, 0x2000),
        ErrorCode::BadAddress);
    c.expect_error("call reply into read-only memory",
        raw_syscall(n(Syscall::Call), kFaulter, user::address(buffer), 1, abi::kUserArgs, 8), ErrorCode::BadAddress);
    c.expect_error("call to a dead endpoint",
        raw_syscall(n(Syscall::Call), kDeadEndpoint, user::address(buffer), 1, user::address(buffer), 8),
        ErrorCode::PeerGone);
    c.expect_value("close the dead endpoint's handle", raw_syscall(n(Syscall::Close), kDeadEndpoint), 0);
    c.expect_error("call on a closed handle",
        raw_syscall(n(Syscall::Call), kDeadEndpoint, user::address(buffer), 1, user::address(buffer), 8),
        ErrorCode::BadHandle);
}

// Spawns the faulter, asks it for fault `index` and waits for it: its Call fails with PeerGone
// (the receiver died holding the reply) and Wait reports 256 + vector.
void check_fault(user::Checks& c, uint8_t index, int64_t expected_status)
{
    auto child = user::spawn("faulter", 7);
    if (child.is_error()) {
        c.expect_value("spawn the faulter", -static_cast<int64_t>(child.error().code()), 0);
        return;
    }
    uint8_t answer = 0;
    int64_t const called = raw_syscall(n(Syscall::Call), kFaulter, user::address(&index), 1, user::address(&answer), 1);
    int64_t const status = raw_syscall(n(Syscall::Wait), child.value());
    bool const faults = index < user::kFaultCount;
    c.expect_value(faults ? user::kFaultCases[index].name : "faulter answers and exits", called,
        faults ? -static_cast<int64_t>(ErrorCode::PeerGone) : 1);
    c.expect_value(faults ? user::kFaultCases[index].name : "faulter's exit status", status, expected_status);
}

} // namespace

extern "C" uint8_t ferros_main(const uint8_t*, uint64_t, const uint8_t*, uint64_t)
{
    user::Checks checks;
    check_numbers(checks);
    check_ranges(checks);
    check_handles(checks);
    check_arguments(checks);
    uint32_t const calls = checks.passed() + checks.failed();
    for (uint8_t i = 0; i < user::kFaultCount; ++i)
        check_fault(checks, i, 256 + user::kFaultCases[i].vector);
    check_fault(checks, 0xff, 7);
    user::print("ferros: hostile: checks=%zu failed=%u faults=%zu\n", calls + 2 * (user::kFaultCount + 1),
        checks.failed(), user::kFaultCount);
    return checks.failed() == 0 ? 0 : 1;
}
