#pragma once
// Events for the plugin: one aligned 8-byte store of a marker word to the marker page
// (abi/include/ferros/abi/machine.h). The page is identity-mapped RAM; `volatile` keeps the
// compiler from merging, reordering or dropping the store, which the plugin must see exactly once.

#include <ferros/abi/machine.h>
#include <stdint.h>

namespace ferros::kernel {

inline void store_marker(abi::MarkerKind kind, uint64_t payload)
{
    *reinterpret_cast<volatile uint64_t*>(abi::kMarkerPage) = abi::marker_word(kind, payload);
}

} // namespace ferros::kernel
