#pragma once
// The names of marker kinds as the events file, `cut_marker` and reports spell them.

#include <cstdint>
#include <ferros/abi/machine.h>
#include <ferros/base/error_or.h>
#include <string_view>

namespace ferros::plugin {

// "stage", "op-submitted", "op-durable", "verdict", "fault"; nullptr for a kind not in machine.h.
const char* marker_kind_name(abi::MarkerKind kind);

// The kind a name spells, by name or as a number (1..255).
ErrorOr<abi::MarkerKind> parse_marker_kind(std::string_view text);

// `KIND:PAYLOAD` as a marker word. PAYLOAD is a number, or for `stage` also a stage's text
// ("ready"), so that `cut_marker=stage:ready` reads as it means.
ErrorOr<uint64_t> parse_marker_spec(std::string_view text);

} // namespace ferros::plugin
