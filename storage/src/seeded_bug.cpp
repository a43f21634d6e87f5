#include <ferros/ring/mem.h>
#include <ferros/storage/seeded_bug.h>

namespace ferros::storage {

const char* seeded_bug_name(SeededBug bug)
{
    switch (bug) {
#define FERROS_SEEDED_BUG(id, name, description)                                                                       \
    case SeededBug::id:                                                                                                \
        return name;
#include <ferros/storage/seeded_bugs.def>
#undef FERROS_SEEDED_BUG
    }
    return "unknown";
}

const char* seeded_bug_description(SeededBug bug)
{
    switch (bug) {
#define FERROS_SEEDED_BUG(id, name, description)                                                                       \
    case SeededBug::id:                                                                                                \
        return description;
#include <ferros/storage/seeded_bugs.def>
#undef FERROS_SEEDED_BUG
    }
    return "unknown";
}

ErrorOr<SeededBug> seeded_bug_from_name(const char* name, size_t length)
{
    for (auto bug : kSeededBugs) {
        char const* candidate = seeded_bug_name(bug);
        size_t candidate_length = 0;
        while (candidate[candidate_length] != '\0')
            ++candidate_length;
        if (candidate_length == length && __builtin_memcmp(candidate, name, length) == 0)
            return bug;
    }
    return Error(ErrorCode::NotFound, "no seeded bug of that name");
}

} // namespace ferros::storage
