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

ErrorOr<Invariant> invariant_from_id(std::string_view id)
{
    for (auto invariant : kInvariants) {
        if (id == invariant_id(invariant))
            return invariant;
    }
    return Error(ErrorCode::BadFormat, "unknown invariant ID");
}

std::string join_ids(const std::vector<Invariant>& invariants)
{
    std::string ids;
    for (auto invariant : kInvariants) {
        bool present = false;
        for (auto i : invariants)
            present = present || i == invariant;
        if (present)
            ids += (ids.empty() ? "" : ",") + std::string(invariant_id(invariant));
    }
    return ids;
}

ErrorOr<std::vector<Invariant>> split_ids(std::string_view text)
{
    std::vector<Invariant> out;
    while (!text.empty()) {
        auto comma = text.find(',');
        out.push_back(TRY(invariant_from_id(text.substr(0, comma))));
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    }
    return out;
}

} // namespace ferros::check
