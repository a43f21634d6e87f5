// The crash fuzzer's findings on the store as designed, kept as workloads in
// fuzz/crash/regressions/ (docs/fuzzing.md, "Findings") and run here as the fuzzer ran them: the
// default executor (cache:512:4, 64 KiB, cuts inside writes, R1-R6 and R14), every cut point.
#include <ferros/fuzz/crash_executor.h>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <string>

using namespace ferros;
using namespace ferros::fuzz;

namespace {

std::vector<uint8_t> regression(const char* name)
{
    std::ifstream in(std::string(FERROS_SOURCE_DIR) + "/fuzz/crash/regressions/" + name, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// Every violation of the workload's run (none stops it), one a line.
std::string violations_of(const char* name, Execution& execution)
{
    auto const bytes = regression(name);
    EXPECT_FALSE(bytes.empty()) << name;
    auto parsed = ferros::abi::Workload::parse(ReadonlyBytes(bytes.data(), bytes.size()));
    EXPECT_FALSE(parsed.is_error()) << name;
    if (parsed.is_error())
        return "not a workload";
    auto executor = CrashExecutor::create(ExecutorOptions {});
    EXPECT_FALSE(executor.is_error());
    execution = executor.value()->run(parsed.value(), [](const CutViolation&) { return false; });
    std::string text;
    for (auto const& v : execution.violations)
        text += "cut " + std::to_string(v.cut) + " state " + std::to_string(v.state) + ": " + v.message + "\n";
    return text;
}

} // namespace

TEST(CrashFuzzRegression, LongPutsToOneKeyLeaveAStoreThatStillTurnsTheRing)
{
    // Ten puts of the longest value to one key over four others: the cleaning pass of the last
    // put relocates the four, and a cut before its checkpoint leaves the tail's records dead and
    // 4 KiB of ring free. The cleaner asked room to carry each of those dead records forward
    // before it looked whether anything in them was live, so every commit after recovery was
    // refused ("the head did not go once around the ring", R14).
    Execution execution;
    auto const found = violations_of("R14-put-put-head-stuck.bin", execution);
    EXPECT_EQ(found, "");
    EXPECT_EQ(execution.ops, 15u);
    EXPECT_GT(execution.cuts, 40u) << "every cut point checked";
    EXPECT_GT(execution.distinct_states, 100u);
    EXPECT_FALSE(execution.sampled);
}

TEST(CrashFuzzRegression, ACleaningPassNearTheRingsEndLeavesRoomForItsCheckpoint)
{
    // Long puts alternating between two keys, then a sync: the continuation after recovery
    // ran a cleaning pass whose relocation records ended just before the ring's physical end;
    // the pass had counted room for its checkpoint's index nodes but not for the Pad they need
    // there, so the checkpoint ran out of ring halfway and the store failed for good ("Io (an
    // earlier device error ...)", R14).
    Execution execution;
    auto const found = violations_of("R14-put-sync-continuation-io.bin", execution);
    EXPECT_EQ(found, "");
    EXPECT_EQ(execution.ops, 23u);
    EXPECT_GT(execution.cuts, 70u) << "every cut point checked";
    EXPECT_GT(execution.distinct_states, 100u);
    EXPECT_FALSE(execution.sampled);
}
