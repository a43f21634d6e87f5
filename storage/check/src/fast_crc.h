#pragma once
// CRC32C for the host checker, which verifies every record of every crash state: with the
// SSE4.2 crc32 instruction when the CPU has it (about 20 times the table-driven speed), else
// ferros::crc32c. Same polynomial and conventions, so the results are identical; the store
// itself keeps the portable one (the kernel has no SSE).

#include <cstddef>
#include <cstdint>

namespace ferros::check {

uint32_t fast_crc32c(uint32_t crc, const void* data, size_t length);
// ring::record_crc with fast_crc32c: CRC of a record with its crc field taken as zero.
uint32_t fast_record_crc(const uint8_t* record, uint64_t length);

} // namespace ferros::check
