#include <cctype>
#include <charconv>
#include <ferros/base/crc32c.h>
#include <ferros/campaign/token.h>
#include <fmt/format.h>
#include <string_view>
#include <vector>

namespace ferros::campaign {

namespace {

    constexpr std::string_view kPrefix = "ferros1";

    std::vector<std::string_view> split(std::string_view text, char separator)
    {
        std::vector<std::string_view> parts;
        size_t start = 0;
        while (true) {
            auto end = text.find(separator, start);
            parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
            if (end == std::string_view::npos)
                return parts;
            start = end + 1;
        }
    }

    bool parse_number(std::string_view text, uint64_t& out, int base)
    {
        if (text.empty())
            return false;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
        return ec == std::errc() && end == text.data() + text.size();
    }

    // A field "<letter><number>".
    bool field(std::string_view text, char letter, uint64_t& out, int base)
    {
        return text.size() >= 2 && text[0] == letter && parse_number(text.substr(1), out, base);
    }

    bool safe_text(std::string_view text)
    {
        if (text.empty())
            return false;
        for (char c : text) {
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '-' || c == '_'))
                return false;
        }
        return true;
    }

} // namespace

std::string ReproToken::encode() const
{
    std::string source
        = generated ? fmt::format("g{}:{}:{}", generated->seed, generated->ops, generated->profile) : "f";
    std::string nested_text = nested ? fmt::format("r{}:{}", nested->boundary, nested->state) : "r-";
    auto body = fmt::format("{}.k{:016x}.w{:016x}.{}.i{:x}.{}.s{}.b{}.x{}.{}.{}", kPrefix, kernel_hash, workload_hash,
        source, image_size, policy, seed, boundary, state, bug, nested_text);
    return fmt::format("{}.c{:08x}", body, crc32c(0, body.data(), body.size()));
}

ErrorOr<ReproToken> ReproToken::decode(const std::string& raw)
{
    std::string_view text = raw;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    auto parts = split(text, '.');
    if (parts.empty() || parts[0].substr(0, 6) != "ferros")
        return Error(ErrorCode::BadFormat, "not a ferros repro token (it starts with ferros1.)");
    if (parts[0] != kPrefix)
        return Error(ErrorCode::Unsupported, "repro token of another version (this build reads ferros1)");
    if (parts.size() != 12)
        return Error(ErrorCode::BadFormat, "repro token has the wrong number of fields");
    uint64_t crc = 0;
    if (!field(parts[11], 'c', crc, 16) || parts[11].size() != 9)
        return Error(ErrorCode::BadFormat, "repro token's checksum field is malformed");
    auto body = text.substr(0, text.size() - parts[11].size() - 1);
    if (crc32c(0, body.data(), body.size()) != crc)
        return Error(ErrorCode::Corrupt, "repro token's checksum does not match (was it copied whole?)");

    ReproToken token;
    if (!field(parts[1], 'k', token.kernel_hash, 16) || !field(parts[2], 'w', token.workload_hash, 16))
        return Error(ErrorCode::BadFormat, "repro token's hash fields are malformed");
    if (parts[3] != "f") {
        auto g = split(parts[3].substr(parts[3].empty() ? 0 : 1), ':');
        GeneratedWorkload generated;
        uint64_t ops = 0;
        if (parts[3].empty() || parts[3][0] != 'g' || g.size() != 3 || !parse_number(g[0], generated.seed, 10)
            || !parse_number(g[1], ops, 10) || ops > UINT32_MAX || !safe_text(g[2]))
            return Error(ErrorCode::BadFormat, "repro token's workload source is malformed");
        generated.ops = static_cast<uint32_t>(ops);
        generated.profile = std::string(g[2]);
        token.generated = generated;
    }
    if (!field(parts[4], 'i', token.image_size, 16))
        return Error(ErrorCode::BadFormat, "repro token's image size is malformed");
    if (!safe_text(parts[5]))
        return Error(ErrorCode::BadFormat, "repro token's policy is malformed");
    token.policy = std::string(parts[5]);
    if (!field(parts[6], 's', token.seed, 10) || !field(parts[7], 'b', token.boundary, 10)
        || !field(parts[8], 'x', token.state, 10))
        return Error(ErrorCode::BadFormat, "repro token's seed, boundary or state is malformed");
    if (!safe_text(parts[9]))
        return Error(ErrorCode::BadFormat, "repro token's bug name is malformed");
    token.bug = std::string(parts[9]);
    if (parts[10] != "r-") {
        auto n = split(parts[10].substr(parts[10].empty() ? 0 : 1), ':');
        NestedCut nested;
        if (parts[10].empty() || parts[10][0] != 'r' || n.size() != 2 || !parse_number(n[0], nested.boundary, 10)
            || !parse_number(n[1], nested.state, 10))
            return Error(ErrorCode::BadFormat, "repro token's nested cut is malformed");
        token.nested = nested;
    }
    return token;
}

} // namespace ferros::campaign
