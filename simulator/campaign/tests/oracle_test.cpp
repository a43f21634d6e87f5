#include <cstring>
#include <ferros/abi/machine.h>
#include <ferros/campaign/oracle.h>
#include <ferros/workload/builder.h>
#include <gtest/gtest.h>

using namespace ferros;
using ferros::abi::marker_word;
using ferros::abi::MarkerKind;

namespace {

struct Fixture {
    std::vector<uint8_t> bytes;
    ferros::abi::Workload workload;
    campaign::MarkerOracle oracle;
    explicit Fixture(std::vector<uint8_t> b)
        : bytes(std::move(b))
        , workload(ferros::abi::Workload::parse(ReadonlyBytes(bytes.data(), bytes.size())).release_value())
        , oracle(workload)
    {
    }
    void submit(uint64_t i) { ASSERT_FALSE(oracle.take(marker_word(MarkerKind::OpSubmitted, i)).is_error()); }
    void fail(uint64_t i) { ASSERT_FALSE(oracle.take(marker_word(MarkerKind::OpFailed, i)).is_error()); }
    void durable(uint64_t i) { ASSERT_FALSE(oracle.take(marker_word(MarkerKind::OpDurable, i)).is_error()); }
};

std::vector<uint8_t> value(const char* text) { return std::vector<uint8_t>(text, text + strlen(text)); }

} // namespace

TEST(MarkerOracle, SingleOpsAndTransactionsBecomeHistory)
{
    // 0 put a, 1 begin, 2 put b, 3 delete a, 4 commit, 5 sync, 6 put c
    Fixture f(workload::Builder().put("a", "1").begin().put("b", "2").del("a").commit().sync().put("c", "3").finish());
    f.submit(0);
    EXPECT_EQ(f.oracle.history().submitted(), 1u);
    f.submit(1);
    f.submit(2);
    f.submit(3);
    EXPECT_EQ(f.oracle.history().submitted(), 1u) << "ops inside a transaction wait for its commit";
    f.submit(4);
    EXPECT_EQ(f.oracle.history().submitted(), 2u);
    EXPECT_EQ(f.oracle.history().transactions()[1].ops.size(), 2u);
    f.submit(5);
    EXPECT_EQ(f.oracle.history().acknowledged(), 0u) << "a sync is acknowledged when it returns";
    f.durable(5);
    EXPECT_EQ(f.oracle.history().acknowledged(), 2u);
    f.submit(6);
    auto state = f.oracle.history().state_after(3);
    EXPECT_EQ(state.size(), 2u);
    EXPECT_EQ(state["b"], value("2"));
    EXPECT_EQ(state["c"], value("3"));
    EXPECT_EQ(f.oracle.last_submitted(), 6u);
    EXPECT_EQ(f.oracle.last_durable(), 5u);
}

TEST(MarkerOracle, FailedOpsAreWithdrawnOrLeftOut)
{
    // 0 put a, 1 begin, 2 put b, 3 put c, 4 commit, 5 delete z
    Fixture f(workload::Builder().put("a", "1").begin().put("b", "2").put("c", "3").commit().del("z").finish());
    f.submit(0);
    f.fail(0); // refused: never happened
    EXPECT_EQ(f.oracle.history().submitted(), 0u);
    f.submit(1);
    f.submit(2);
    f.submit(3);
    f.fail(3); // the transaction goes on without it
    f.submit(4);
    ASSERT_EQ(f.oracle.history().submitted(), 1u);
    EXPECT_EQ(f.oracle.history().transactions()[0].ops.size(), 1u);
    f.submit(5);
    f.fail(5);
    EXPECT_EQ(f.oracle.history().submitted(), 1u);
}

TEST(MarkerOracle, MarkersThatDoNotFitTheWorkloadAreRefused)
{
    Fixture f(workload::Builder().put("a", "1").sync().finish());
    EXPECT_TRUE(f.oracle.take(marker_word(MarkerKind::OpSubmitted, 1)).is_error()) << "out of order";
    EXPECT_TRUE(f.oracle.take(marker_word(MarkerKind::OpSubmitted, 9)).is_error()) << "beyond the workload";
    EXPECT_TRUE(f.oracle.take(marker_word(MarkerKind::OpDurable, 0)).is_error()) << "durable before submitted";
    f.submit(0);
    EXPECT_TRUE(f.oracle.take(marker_word(MarkerKind::OpDurable, 0)).is_error()) << "op 0 is not a sync";
    EXPECT_FALSE(f.oracle.take(marker_word(MarkerKind::Stage, 8)).is_error()) << "stages are ignored";
}
