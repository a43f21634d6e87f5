#pragma once
// The trace file's framing (docs/trace-format.md): a 16-byte file header, then frames, each a
// 16-byte frame header followed by a zstd frame that holds one FlatBuffer (schema/trace.fbs).
//
//   file header   "FERROSTR" | u32 format version | u32 zero
//   frame header  u32 type   | u32 stored bytes   | u32 raw bytes | u32 checksum of the stored bytes
//
// All integers little-endian. Frame types: 1 Header (first, once), 2 Chunk (any number),
// 3 Footer (last, once; a trace without it is truncated).

#include <cstddef>
#include <cstdint>

namespace ferros::trace {

inline constexpr char kFileMagic[8] = { 'F', 'E', 'R', 'R', 'O', 'S', 'T', 'R' };
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr uint32_t kFileHeaderSize = 16;
inline constexpr uint32_t kFrameHeaderSize = 16;
// A bound on any frame's sizes, so that a corrupted size cannot make a reader allocate
// gigabytes: a chunk of the largest allowed event count fits well inside it.
inline constexpr uint32_t kMaxFrameBytes = 1u << 30;
inline constexpr uint32_t kMaxChunkEvents = 1u << 22;
// zstd level 1: the chunks are already delta-coded columns, and the traced run pays for every
// cycle the (background) compressor takes from the machine's other core.
inline constexpr int kZstdLevel = 1;

// A frame's checksum: the low 32 bits of XXH3-64 over its stored (compressed) bytes. XXH3,
// not CRC32C: the CRC's table-driven software loop was a visible share of a traced run.
uint32_t frame_checksum(const uint8_t* data, size_t size);

enum class FrameType : uint32_t {
    Header = 1,
    Chunk = 2,
    Footer = 3,
};

} // namespace ferros::trace
