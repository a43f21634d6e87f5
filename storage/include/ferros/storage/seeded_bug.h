#pragma once
// Seeded bugs (seeded_bugs.def): one table, looked up by name.

#include <ferros/base/error_or.h>
#include <stddef.h>
#include <stdint.h>

namespace ferros::storage {

enum class SeededBug : uint8_t {
#define FERROS_SEEDED_BUG(id, name, description) id,
#include <ferros/storage/seeded_bugs.def>
#undef FERROS_SEEDED_BUG
};

constexpr SeededBug kSeededBugs[] = {
#define FERROS_SEEDED_BUG(id, name, description) SeededBug::id,
#include <ferros/storage/seeded_bugs.def>
#undef FERROS_SEEDED_BUG
};

// The table name ("no-flush-before-commit"); "unknown" outside the table.
const char* seeded_bug_name(SeededBug bug);
const char* seeded_bug_description(SeededBug bug);
// Looks a bug up by its table name. Errors: NotFound.
ErrorOr<SeededBug> seeded_bug_from_name(const char* name, size_t length);

} // namespace ferros::storage
