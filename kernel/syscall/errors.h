#pragma once
// The error codes system calls return for the kernel's own refusals (docs/syscalls.md). Each
// is a line of the one error table; the names here are what the kernel code uses.

#include <ferros/base/error.h>

namespace ferros::kernel {

constexpr ErrorCode kNoSuchCall = ErrorCode::NoSuchCall; // a number not in syscalls.def
constexpr ErrorCode kBadHandle = ErrorCode::BadHandle; // no such handle, or one of another kind
constexpr ErrorCode kAccessDenied = ErrorCode::AccessDenied; // the handle lacks a right
constexpr ErrorCode kBadAddress = ErrorCode::BadAddress; // a range the caller may not access
constexpr ErrorCode kPeerGone = ErrorCode::PeerGone; // the endpoint has no receiver, or it died

} // namespace ferros::kernel
