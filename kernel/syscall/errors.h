#pragma once
// The error codes system calls return for the kernel's own refusals (docs/syscalls.md). Each
// name is what a caller can react to; all come from the one error table.

#include <ferros/base/error.h>

namespace ferros::kernel {

constexpr ErrorCode kNoSuchCall = ErrorCode::Unsupported; // a number not in syscalls.def
constexpr ErrorCode kBadHandle = ErrorCode::NotFound; // no such handle, or one of another kind
constexpr ErrorCode kAccessDenied = ErrorCode::Busy; // the handle lacks a right
constexpr ErrorCode kBadAddress = ErrorCode::OutOfRange; // a range the caller may not access
constexpr ErrorCode kPeerGone = ErrorCode::Io; // the endpoint has no receiver, or it died

} // namespace ferros::kernel
