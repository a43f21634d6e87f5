#pragma once
// Content hash of a device image, built so that the hash of a crash state can be computed
// from the hash of the durable image and the few words the state changes, without
// materialising the image (the campaign deduplicates states by this hash).
//
// Definition (stable: it is stored in campaign results):
//   word(o)  = the 8 bytes of the image at offset o (o a multiple of 8), little-endian,
//              zero-padded past the end of the image
//   mix(o,w) = XXH3_64bits of the 16 bytes (o as u64 LE, w as u64 LE), seed 0
//   hash     = size * 0x9E3779B97F4A7C15 + sum over every word offset o of mix(o, word(o))
//              (all mod 2^64)
// A sum is order-independent and updates in O(1) per changed word:
//   hash' = hash - mix(o, old) + mix(o, new).

#include <cstdint>
#include <span>

namespace ferros::crash {

uint64_t word_mix(uint64_t offset, uint64_t word);
// Hash of a whole image.
uint64_t image_hash(std::span<const uint8_t> image);
// The 8-byte word at `offset` (a multiple of 8), zero-padded past the end of `image`.
uint64_t image_word(std::span<const uint8_t> image, uint64_t offset);
// XXH3_64bits of `bytes` with `seed`: a cache key for a byte range's content.
uint64_t bytes_hash(std::span<const uint8_t> bytes, uint64_t seed);

} // namespace ferros::crash
