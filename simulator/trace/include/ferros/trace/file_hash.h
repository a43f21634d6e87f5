#pragma once
// The hash that names kernels, workloads and images in trace headers: XXH3-64 of the bytes.

#include <cstdint>
#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <string>

namespace ferros::trace {

uint64_t hash_bytes(ReadonlyBytes bytes);
ErrorOr<uint64_t> hash_file(const std::string& path);

} // namespace ferros::trace
