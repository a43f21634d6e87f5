// The mutator and crossover only ever make valid workloads, within the size they are given,
// and every edit does what it says.
#include <ferros/fuzz/mutator.h>
#include <ferros/fuzz/seeds.h>
#include <ferros/fuzz/target.h>
#include <gtest/gtest.h>
#include <set>

using namespace ferros;
using namespace ferros::fuzz;

namespace {

MutatorOptions options()
{
    MutatorOptions o;
    o.thresholds.max_value = 3700;
    o.thresholds.max_record = 3840;
    return o;
}

Program seed_program(size_t index)
{
    auto seeds = profile_seeds(16, 2);
    auto const& seed = seeds[index % seeds.size()];
    return decode(ReadonlyBytes(seed.bytes.data(), seed.bytes.size())).release_value();
}

} // namespace

TEST(Mutator, TenThousandMutationsStayValidWorkloads)
{
    Rng rng(1);
    auto const o = options();
    Program program = seed_program(0);
    std::set<std::string> keys;
    for (int i = 0; i < 10000; ++i) {
        if (i % 500 == 0)
            program = seed_program(i / 500);
        mutate(program, rng, o);
        EXPECT_LE(program.ops.size(), o.max_ops);
        auto const bytes = encode(program);
        auto parsed = ferros::abi::Workload::parse(ReadonlyBytes(bytes.data(), bytes.size()));
        ASSERT_FALSE(parsed.is_error()) << "mutation " << i;
        for (auto const& op : program.ops)
            if (op.has_key())
                keys.insert(op.key);
    }
    // Keys collide: a small pool, plus the seeds' own.
    EXPECT_LE(keys.size(), 8u + 64u);
}

TEST(Mutator, EveryEditApplies)
{
    auto const o = options();
    for (int e = 0; e < static_cast<int>(Edit::Count); ++e) {
        auto const edit = static_cast<Edit>(e);
        Rng rng(static_cast<uint64_t>(e) + 1);
        Program program = seed_program(3);
        program.ops.insert(program.ops.begin() + 2, ProgramOp { ferros::abi::OpCode::Begin });
        program.ops.insert(program.ops.begin() + 5, ProgramOp { ferros::abi::OpCode::Commit });
        auto const before = encode(program);
        bool changed = false;
        for (int attempt = 0; attempt < 8 && !changed; ++attempt) {
            Program copy = program;
            EXPECT_TRUE(apply_edit(copy, edit, rng, o)) << edit_name(edit);
            changed = encode(copy) != before;
        }
        EXPECT_TRUE(changed) << edit_name(edit);
    }
}

TEST(Mutator, ValueLengthsStraddleTheThresholds)
{
    Rng rng(3);
    auto const o = options();
    bool empty = false, unit = false, largest = false, too_big = false;
    for (int i = 0; i < 5000; ++i) {
        uint32_t const length = draw_value_length(rng, o.thresholds);
        empty |= length == 0;
        unit |= length == 512;
        largest |= length == o.thresholds.max_value;
        too_big |= length == o.thresholds.max_value + 1;
    }
    EXPECT_TRUE(empty && unit && largest && too_big);
}

TEST(Mutator, OpeningATransactionBalancesIt)
{
    Rng rng(5);
    Program program = seed_program(0);
    for (auto& op : program.ops)
        if (op.code == ferros::abi::OpCode::Begin || op.code == ferros::abi::OpCode::Commit)
            op.code = ferros::abi::OpCode::Sync;
    ASSERT_TRUE(apply_edit(program, Edit::OpenTransaction, rng, options()));
    int depth = 0, opened = 0;
    for (auto const& op : program.ops) {
        if (op.code == ferros::abi::OpCode::Begin) {
            ++depth;
            ++opened;
        }
        if (op.code == ferros::abi::OpCode::Commit)
            --depth;
        EXPECT_GE(depth, 0);
    }
    EXPECT_EQ(depth, 0);
    EXPECT_EQ(opened, 1);
}

TEST(Mutator, CrossOverAndFitStayValidAndSmall)
{
    Rng rng(9);
    auto const o = options();
    for (int i = 0; i < 2000; ++i) {
        Program child = cross_over(seed_program(i), seed_program(i + 7), rng, o);
        fit(child, 200, rng);
        auto const bytes = encode(child);
        EXPECT_LE(bytes.size(), 200u);
        ASSERT_FALSE(ferros::abi::Workload::parse(ReadonlyBytes(bytes.data(), bytes.size())).is_error());
    }
}

TEST(Target, TheLibFuzzerMutatorWritesValidWorkloadsFromAnyBytes)
{
    ASSERT_EQ(target::initialize(), 0);
    std::vector<uint8_t> buffer(4096);
    size_t size = 3; // not a workload: the mutator starts from a seed
    buffer[0] = 'x';
    for (unsigned seed = 1; seed < 300; ++seed) {
        size = target::mutate(buffer.data(), size, buffer.size(), seed);
        ASSERT_GT(size, 0u);
        ASSERT_FALSE(ferros::abi::Workload::parse(ReadonlyBytes(buffer.data(), size)).is_error());
    }
    std::vector<uint8_t> out(512);
    size_t const crossed = target::cross_over(buffer.data(), size, buffer.data(), size, out.data(), out.size(), 7);
    if (crossed > 0) {
        EXPECT_FALSE(ferros::abi::Workload::parse(ReadonlyBytes(out.data(), crossed)).is_error());
    }
}
