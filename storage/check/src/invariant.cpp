#include <ferros/check/invariant.h>

namespace ferros::check {

const char* invariant_id(Invariant invariant)
{
    switch (invariant) {
#define FERROS_INVARIANT(id, name, description)                                                                        \
    case Invariant::id:                                                                                                \
        return #id;
#include <ferros/check/invariants.def>
#undef FERROS_INVARIANT
    }
    return "R?";
}

const char* invariant_name(Invariant invariant)
{
    switch (invariant) {
#define FERROS_INVARIANT(id, name, description)                                                                        \
    case Invariant::id:                                                                                                \
        return name;
#include <ferros/check/invariants.def>
#undef FERROS_INVARIANT
    }
    return "unknown";
}

const char* invariant_description(Invariant invariant)
{
    switch (invariant) {
#define FERROS_INVARIANT(id, name, description)                                                                        \
    case Invariant::id:                                                                                                \
        return description;
#include <ferros/check/invariants.def>
#undef FERROS_INVARIANT
    }
    return "unknown";
}

} // namespace ferros::check
