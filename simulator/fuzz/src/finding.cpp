#include <ferros/fuzz/finding.h>
#include <vector>

namespace ferros::fuzz {

namespace {

    std::vector<abi::OpCode> op_codes(const abi::Workload& workload)
    {
        std::vector<abi::OpCode> codes;
        codes.reserve(workload.op_count());
        for (auto cursor = workload.ops(); !cursor.at_end();)
            codes.push_back(cursor.next().code);
        return codes;
    }

} // namespace

std::string Signature::key() const { return std::string(check::invariant_id(invariant)) + ":" + before + ">" + during; }

std::string Signature::file_name() const
{
    return std::string(check::invariant_id(invariant)) + "-" + before + "-" + during;
}

Signature signature_of(const abi::Workload& workload, const CutViolation& violation)
{
    auto const codes = op_codes(workload);
    Signature signature;
    signature.invariant = violation.invariant;
    signature.during = violation.op < codes.size() ? abi::op_name(codes[violation.op]) : "end";
    uint32_t const previous = violation.op < codes.size() ? violation.op : static_cast<uint32_t>(codes.size());
    signature.before = previous > 0 ? abi::op_name(codes[previous - 1]) : "start";
    return signature;
}

std::optional<Signature> parse_signature(std::string_view key)
{
    auto const colon = key.find(':');
    auto const arrow = key.find('>');
    if (colon == std::string_view::npos || arrow == std::string_view::npos || arrow < colon)
        return std::nullopt;
    auto invariant = check::invariant_from_id(key.substr(0, colon));
    if (invariant.is_error())
        return std::nullopt;
    Signature signature;
    signature.invariant = invariant.value();
    signature.before = std::string(key.substr(colon + 1, arrow - colon - 1));
    signature.during = std::string(key.substr(arrow + 1));
    if (signature.before.empty() || signature.during.empty())
        return std::nullopt;
    return signature;
}

std::string describe(const abi::Workload& workload, const CutViolation& violation)
{
    auto const codes = op_codes(workload);
    std::string const device = violation.inside ? "inside device operation " + std::to_string(violation.cut)
            + ", a write, after its first " + std::to_string(violation.inside) + " words"
                                                : "before device operation " + std::to_string(violation.cut);
    std::string const where = violation.op < codes.size()
        ? device + ", during op " + std::to_string(violation.op) + " " + abi::op_name(codes[violation.op])
        : std::string("after the workload's last device operation");
    return std::string(check::invariant_id(violation.invariant)) + " (" + check::invariant_name(violation.invariant)
        + ") at cut " + std::to_string(violation.cut) + " (" + where + "), state " + std::to_string(violation.state)
        + ": " + violation.message;
}

} // namespace ferros::fuzz
