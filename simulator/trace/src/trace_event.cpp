#include <ferros/base/bytes.h>
#include <ferros/trace/trace_event.h>

namespace ferros::trace {

uint64_t TraceEvent::value_u64() const { return load_le(value, size < 8 ? size : 8); }

} // namespace ferros::trace
