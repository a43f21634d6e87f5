#include <charconv>
#include <ferros/crash/policy.h>

namespace ferros::crash {

namespace {

    ErrorOr<uint32_t> parse_number(std::string_view text, const char* what)
    {
        uint32_t value = 0;
        auto const* end = text.data() + text.size();
        auto [ptr, ec] = std::from_chars(text.data(), end, value);
        if (text.empty() || ec != std::errc() || ptr != end)
            return Error(ErrorCode::BadFormat, what);
        return value;
    }

} // namespace

ErrorOr<Policy> Policy::parse(std::string_view text)
{
    std::string_view fields[4];
    size_t count = 0;
    while (true) {
        auto colon = text.find(':');
        if (count == 4)
            return Error(ErrorCode::BadFormat, "crash policy has too many ':' fields");
        fields[count++] = text.substr(0, colon);
        if (colon == std::string_view::npos)
            break;
        text.remove_prefix(colon + 1);
    }

    Policy policy;
    auto const& kind = fields[0];
    if (kind == "strict" || kind == "prefix") {
        if (count != 1)
            return Error(ErrorCode::BadFormat, "strict and prefix take no UNIT or K");
        policy.kind = kind == "strict" ? Kind::Strict : Kind::Prefix;
        return policy;
    }
    if (kind == "cache")
        policy.kind = Kind::Cache;
    else if (kind == "torn")
        policy.kind = Kind::Torn;
    else
        return Error(ErrorCode::BadFormat, "unknown crash policy kind (strict, cache:UNIT[:K], torn:UNIT[:K], prefix)");

    if (count < 2)
        return Error(ErrorCode::BadFormat, "cache and torn need a UNIT (8, 64, 512 or 4096)");
    policy.unit = TRY(parse_number(fields[1], "UNIT is not a number"));
    if (policy.unit != 8 && policy.unit != 64 && policy.unit != 512 && policy.unit != 4096)
        return Error(ErrorCode::BadFormat, "UNIT must be 8, 64, 512 or 4096");
    if (count == 3) {
        policy.k = TRY(parse_number(fields[2], "K is not a number"));
        if (policy.k < 1 || policy.k > kMaxK)
            return Error(ErrorCode::BadFormat, "K must be between 1 and 24");
    }
    if (count > 3)
        return Error(ErrorCode::BadFormat, "crash policy has too many ':' fields");
    return policy;
}

std::string Policy::to_string() const
{
    switch (kind) {
    case Kind::Strict:
        return "strict";
    case Kind::Prefix:
        return "prefix";
    case Kind::Cache:
        return "cache:" + std::to_string(unit) + ":" + std::to_string(k);
    case Kind::Torn:
        return "torn:" + std::to_string(unit) + ":" + std::to_string(k);
    }
    return "strict";
}

} // namespace ferros::crash
