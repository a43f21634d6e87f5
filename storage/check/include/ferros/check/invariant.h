#pragma once
// Invariant IDs (invariants.def) and the violations checkers report.

#include <cstdint>
#include <ferros/base/error_or.h>
#include <string>
#include <string_view>
#include <vector>

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
// The invariant whose ID is `id` ("R3"). Errors: BadFormat for an ID not in the table.
ErrorOr<Invariant> invariant_from_id(std::string_view id);

// A set of invariants as stored and shown: IDs in table order, comma-separated ("R3,R5"), and
// back. Errors: BadFormat for an unknown ID.
std::string join_ids(const std::vector<Invariant>& invariants);
ErrorOr<std::vector<Invariant>> split_ids(std::string_view text);

struct Violation {
    Invariant invariant;
    std::string message;
};

} // namespace ferros::check
