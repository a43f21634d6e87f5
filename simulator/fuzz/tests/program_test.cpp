// Programs round-trip through the workload format: decode(encode(p)) == p, and encode of a
// decoded generator workload gives back its bytes.
#include <ferros/base/rng.h>
#include <ferros/fuzz/program.h>
#include <ferros/fuzz/seeds.h>
#include <ferros/workload/builder.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::fuzz;

namespace {

bool same(const ProgramOp& a, const ProgramOp& b)
{
    return a.code == b.code && a.key == b.key && a.value_length == b.value_length && a.value_seed == b.value_seed
        && a.value == b.value;
}

} // namespace

TEST(Program, GeneratorWorkloadsRoundTripByteForByte)
{
    for (auto const& seed : profile_seeds(40, 3)) {
        auto program = decode(ReadonlyBytes(seed.bytes.data(), seed.bytes.size()));
        ASSERT_FALSE(program.is_error()) << seed.name;
        EXPECT_EQ(encode(program.value()), seed.bytes) << seed.name;
        EXPECT_EQ(encoded_size(program.value()), seed.bytes.size()) << seed.name;
    }
}

TEST(Program, EveryOpKindRoundTrips)
{
    auto const bytes = workload::Builder()
                           .put("k", "literal")
                           .put_seeded("key-001", 3000, 42)
                           .del("k")
                           .get("key-001")
                           .begin()
                           .commit()
                           .sync()
                           .finish(7);
    auto program = decode(ReadonlyBytes(bytes.data(), bytes.size())).release_value();
    ASSERT_EQ(program.ops.size(), 7u);
    EXPECT_EQ(program.seed, 7u);
    EXPECT_EQ(program.ops[0].value, std::vector<uint8_t>({ 'l', 'i', 't', 'e', 'r', 'a', 'l' }));
    EXPECT_EQ(program.ops[1].value_length, 3000u);
    EXPECT_EQ(program.ops[1].value_seed, 42u);
    auto const again = encode(program);
    EXPECT_EQ(again, bytes);
    auto round = decode(ReadonlyBytes(again.data(), again.size())).release_value();
    for (size_t i = 0; i < program.ops.size(); ++i)
        EXPECT_TRUE(same(program.ops[i], round.ops[i])) << i;
}

TEST(Program, RefusesWhatTheDecoderRefuses)
{
    std::vector<uint8_t> junk { 'F', 'R', 'W', 'L', 1, 0 };
    EXPECT_TRUE(decode(ReadonlyBytes(junk.data(), junk.size())).is_error());
}

TEST(Program, SeededValuesAreThePrngStreamLittleEndian)
{
    // docs/syscalls.md: a seeded value is the first vlen bytes of Rng(seed)'s stream, each
    // 64-bit output taken little-endian (the fuzzer relies on materialize_value's speed, and
    // campaigns on its bytes).
    for (uint32_t length : { 0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 100u, 4096u, 4099u }) {
        auto const bytes = workload::Builder().put_seeded("k", length, 99 + length).finish();
        auto const workload = ferros::abi::Workload::parse(ReadonlyBytes(bytes.data(), bytes.size())).release_value();
        auto const op = workload.ops().next();
        std::vector<uint8_t> value(length + 8, 0xee);
        ferros::abi::materialize_value(op, Bytes(value.data(), value.size()));
        Rng rng(99 + length);
        uint64_t word = 0;
        for (uint32_t i = 0; i < length; ++i) {
            if (i % 8 == 0)
                word = rng.next();
            ASSERT_EQ(value[i], static_cast<uint8_t>(word >> (8 * (i % 8)))) << length << " " << i;
        }
        for (uint32_t i = length; i < value.size(); ++i)
            ASSERT_EQ(value[i], 0xee) << "wrote past the value";
    }
}
