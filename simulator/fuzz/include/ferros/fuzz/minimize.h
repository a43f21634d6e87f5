#pragma once
// Structure-aware minimisation of a finding: removes operations (halves, then smaller runs,
// then single ops, as delta debugging does) and shortens values, keeping every change after
// which the executor still reports a violation of the same signature. Deterministic: the same
// input, executor options and budget give the same result.

#include <cstdint>
#include <ferros/fuzz/crash_executor.h>
#include <ferros/fuzz/finding.h>
#include <ferros/fuzz/program.h>

namespace ferros::fuzz {

struct Minimized {
    Program program;
    CutViolation violation; // the signature's violation in `program`
    uint64_t executions { 0 };
    bool reproduced { false }; // false: the input did not show the signature at all
};

// `budget`: at most this many executions.
Minimized minimize(CrashExecutor& executor, const Program& input, const Signature& signature, uint64_t budget = 2000);

// Runs `program` and returns the first violation with `signature`, if any (other violations
// do not stop the run).
std::optional<CutViolation> reproduce(CrashExecutor& executor, const Program& program, const Signature& signature);

} // namespace ferros::fuzz
