#include <ferros/fuzz/minimize.h>

namespace ferros::fuzz {

std::optional<CutViolation> reproduce(CrashExecutor& executor, const Program& program, const Signature& signature)
{
    auto const bytes = encode(program);
    auto const workload = abi::Workload::parse(ReadonlyBytes(bytes.data(), bytes.size()));
    if (workload.is_error())
        return std::nullopt;
    auto const& parsed = workload.value();
    auto execution = executor.run(
        parsed, [&](const CutViolation& violation) { return signature_of(parsed, violation) == signature; });
    for (auto& violation : execution.violations)
        if (signature_of(parsed, violation) == signature)
            return std::move(violation);
    return std::nullopt;
}

Minimized minimize(CrashExecutor& executor, const Program& input, const Signature& signature, uint64_t budget)
{
    Minimized result;
    result.program = input;
    auto attempt = [&](const Program& candidate) -> bool {
        if (result.executions >= budget)
            return false;
        ++result.executions;
        auto found = reproduce(executor, candidate, signature);
        if (!found)
            return false;
        result.program = candidate;
        result.violation = std::move(*found);
        return true;
    };
    if (!attempt(input))
        return result;
    result.reproduced = true;

    // Ops: runs of half the program, then a quarter, ... then single ops, from the end (a cut
    // rarely needs what comes after it).
    bool progress = true;
    while (progress && result.executions < budget) {
        progress = false;
        for (size_t chunk = std::max<size_t>(result.program.ops.size() / 2, 1); chunk >= 1; chunk /= 2) {
            for (size_t end = result.program.ops.size(); end > 0 && result.executions < budget;) {
                size_t const start = end >= chunk ? end - chunk : 0;
                Program candidate = result.program;
                candidate.ops.erase(candidate.ops.begin() + static_cast<ptrdiff_t>(start),
                    candidate.ops.begin() + static_cast<ptrdiff_t>(end));
                if (attempt(candidate)) {
                    progress = true;
                    end = std::min(start, result.program.ops.size());
                } else {
                    end = start;
                }
            }
            if (chunk == 1)
                break;
        }
    }

    // Values: shorter, then empty; literal values become seeded ones.
    for (size_t i = 0; i < result.program.ops.size() && result.executions < budget; ++i) {
        auto const& op = result.program.ops[i];
        if (!op.is_put())
            continue;
        if (op.code == abi::OpCode::Put) {
            Program candidate = result.program;
            candidate.ops[i].code = abi::OpCode::PutSeeded;
            candidate.ops[i].value.clear();
            candidate.ops[i].value_seed = 1;
            attempt(candidate);
        }
        for (uint32_t length : { 0u, 8u, result.program.ops[i].value_length / 2 }) {
            if (length >= result.program.ops[i].value_length)
                continue;
            Program candidate = result.program;
            candidate.ops[i].value_length = length;
            if (candidate.ops[i].code == abi::OpCode::Put)
                candidate.ops[i].value.resize(length);
            if (attempt(candidate))
                break;
        }
    }
    return result;
}

} // namespace ferros::fuzz
