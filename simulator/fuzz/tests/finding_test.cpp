// Signatures name the invariant and the op kinds around the cut, and parse back.
#include <ferros/fuzz/finding.h>
#include <ferros/workload/builder.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::fuzz;

TEST(Signature, NamesTheOpsAroundTheCut)
{
    auto const bytes = workload::Builder().put_seeded("a", 10, 1).sync().del("a").finish();
    auto const workload = ferros::abi::Workload::parse(ReadonlyBytes(bytes.data(), bytes.size())).release_value();
    CutViolation violation;
    violation.invariant = check::Invariant::R3;
    violation.op = 1;
    EXPECT_EQ(signature_of(workload, violation).key(), "R3:put>sync");
    violation.op = 0;
    EXPECT_EQ(signature_of(workload, violation).key(), "R3:start>put");
    violation.op = 3;
    EXPECT_EQ(signature_of(workload, violation).key(), "R3:delete>end");
    EXPECT_EQ(signature_of(workload, violation).file_name(), "R3-delete-end");
}

TEST(Signature, ParsesItsKey)
{
    auto parsed = parse_signature("R2:commit>sync");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->invariant, check::Invariant::R2);
    EXPECT_EQ(parsed->before, "commit");
    EXPECT_EQ(parsed->during, "sync");
    EXPECT_FALSE(parse_signature("R99:a>b"));
    EXPECT_FALSE(parse_signature("R2:a"));
    EXPECT_FALSE(parse_signature("R2:>b"));
}
