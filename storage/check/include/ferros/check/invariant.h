#pragma once
// Invariant IDs (invariants.def) and the violations checkers report.

#include <cstdint>
#include <string>

namespace ferros::check {

enum class Invariant : uint8_t {
#define FERROS_INVARIANT(id, name, description) id,
#include <ferros/check/invariants.def>
#undef FERROS_INVARIANT
};

constexpr Invariant kInvariants[] = {
#define FERROS_INVARIANT(id, name, description) Invariant::id,
#include <ferros/check/invariants.def>
#undef FERROS_INVARIANT
};

const char* invariant_id(Invariant invariant); // "R3"
const char* invariant_name(Invariant invariant); // "durable"
const char* invariant_description(Invariant invariant);

struct Violation {
    Invariant invariant;
    std::string message;
};

} // namespace ferros::check
