#include <ferros/trace/trace_format.h>
#include <xxhash.h>

namespace ferros::trace {

uint32_t frame_checksum(const uint8_t* data, size_t size) { return static_cast<uint32_t>(XXH3_64bits(data, size)); }

} // namespace ferros::trace
