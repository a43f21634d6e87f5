#pragma once
// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every on-disk record.
// Software, table-driven (slicing-by-8) so the kernel needs no SSE4.2. The host build uses the
// SSE4.2 crc32 instruction when the CPU has it (the campaign's checker mounts a store for every
// crash state and verifies every record it reads), else the same tables: same bits either way.

#include <stddef.h>
#include <stdint.h>

namespace ferros {

// Continues a CRC: pass the previous result as `crc` (0 to start).
uint32_t crc32c(uint32_t crc, const void* data, size_t length);
// The table-driven implementation alone: what the kernel always runs (host tests check it).
uint32_t crc32c_tables(uint32_t crc, const void* data, size_t length);

} // namespace ferros
