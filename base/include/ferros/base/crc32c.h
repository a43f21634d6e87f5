#pragma once
// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every on-disk record.
// Software, table-driven (slicing-by-1) so the kernel needs no SSE4.2; the host build shares it
// so both compute the same bits.

#include <stddef.h>
#include <stdint.h>

namespace ferros {

// Continues a CRC: pass the previous result as `crc` (0 to start).
uint32_t crc32c(uint32_t crc, const void* data, size_t length);

} // namespace ferros
