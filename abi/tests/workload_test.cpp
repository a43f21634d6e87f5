#include <cstring>
#include <ferros/workload/builder.h>
#include <gtest/gtest.h>

using namespace ferros;
using ferros::abi::OpCode;
using ferros::abi::Workload;

namespace {

ReadonlyBytes view(const std::vector<uint8_t>& v) { return ReadonlyBytes(v.data(), v.size()); }

std::vector<uint8_t> sample()
{
    return workload::Builder()
        .begin()
        .put("alpha", "one")
        .put_seeded("beta", 100, 7)
        .commit()
        .del("alpha")
        .get("beta")
        .sync()
        .finish(5);
}

} // namespace

TEST(Workload, RoundTripsEveryOp)
{
    auto bytes = sample();
    auto parsed = Workload::parse(view(bytes));
    ASSERT_FALSE(parsed.is_error()) << parsed.error().context();
    auto w = parsed.release_value();
    EXPECT_EQ(w.op_count(), 7u);
    EXPECT_EQ(w.header().seed, 5u);
    auto c = w.ops();
    std::vector<OpCode> codes;
    std::vector<ferros::abi::Op> ops;
    while (!c.at_end())
        ops.push_back(c.next());
    ASSERT_EQ(ops.size(), 7u);
    EXPECT_EQ(ops[0].code, OpCode::Begin);
    EXPECT_EQ(ops[1].code, OpCode::Put);
    EXPECT_EQ(std::string(ops[1].key.begin(), ops[1].key.end()), "alpha");
    EXPECT_EQ(std::string(ops[1].value.begin(), ops[1].value.end()), "one");
    EXPECT_EQ(ops[2].code, OpCode::PutSeeded);
    EXPECT_EQ(ops[2].value_length, 100u);
    EXPECT_EQ(ops[2].value_seed, 7u);
    EXPECT_EQ(ops[3].code, OpCode::Commit);
    EXPECT_EQ(ops[4].code, OpCode::Delete);
    EXPECT_EQ(ops[5].code, OpCode::Get);
    EXPECT_EQ(ops[6].code, OpCode::Sync);
}

TEST(Workload, SeededValuesAreDeterministicAndDistinct)
{
    ferros::abi::Op a { OpCode::PutSeeded, {}, 33, {}, 7 };
    ferros::abi::Op b { OpCode::PutSeeded, {}, 33, {}, 8 };
    uint8_t va[33], va2[33], vb[33];
    ferros::abi::materialize_value(a, Bytes(va, 33));
    ferros::abi::materialize_value(a, Bytes(va2, 33));
    ferros::abi::materialize_value(b, Bytes(vb, 33));
    EXPECT_EQ(0, memcmp(va, va2, 33));
    EXPECT_NE(0, memcmp(va, vb, 33));
}

TEST(Workload, EveryFlippedBitIsRejected)
{
    auto bytes = sample();
    for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
        auto copy = bytes;
        copy[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        EXPECT_TRUE(Workload::parse(view(copy)).is_error()) << "bit " << bit;
    }
}

TEST(Workload, TruncationAndExtensionAreRejected)
{
    auto bytes = sample();
    for (size_t n = 0; n < bytes.size(); ++n) {
        std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(n));
        auto r = Workload::parse(view(cut));
        ASSERT_TRUE(r.is_error()) << n;
        EXPECT_EQ(r.error().code(), ErrorCode::Truncated) << n;
    }
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_EQ(Workload::parse(view(longer)).error().code(), ErrorCode::Truncated);
}

TEST(Workload, SemanticLimitsAreEnforcedEvenWithValidChecksums)
{
    std::string big(ferros::abi::kMaxValueLength + 1, 'x');
    auto too_big = workload::Builder().put("k", big).finish();
    EXPECT_EQ(Workload::parse(view(too_big)).error().code(), ErrorCode::TooBig);
    auto empty_key = workload::Builder().del("").finish();
    EXPECT_EQ(Workload::parse(view(empty_key)).error().code(), ErrorCode::BadFormat);
    auto max_value = workload::Builder().put_seeded("k", ferros::abi::kMaxValueLength, 1).finish();
    EXPECT_FALSE(Workload::parse(view(max_value)).is_error());
}

TEST(Workload, GeneratorIsDeterministicAndWellFormed)
{
    for (auto const& profile : workload::profiles()) {
        auto a = workload::generate(11, 300, profile);
        auto b = workload::generate(11, 300, profile);
        auto c = workload::generate(12, 300, profile);
        EXPECT_EQ(a, b) << profile.name;
        EXPECT_NE(a, c) << profile.name;
        auto w = Workload::parse(view(a));
        ASSERT_FALSE(w.is_error()) << profile.name;
        EXPECT_EQ(w.value().op_count(), 300u) << profile.name;
        bool open = false;
        ferros::abi::Op last;
        auto spans = workload::phase_spans(profile, 300);
        ASSERT_EQ(spans.size(), profile.phases.size()) << profile.name;
        EXPECT_EQ(spans.back().end, 299u) << profile.name;
        size_t span = 0;
        auto cursor = w.value().ops();
        while (!cursor.at_end()) {
            uint32_t const index = cursor.index();
            while (span + 1 < spans.size() && index >= spans[span].end)
                ++span;
            auto const& phase = *spans[span].phase;
            last = cursor.next();
            if (last.code == OpCode::Begin) {
                EXPECT_FALSE(open) << profile.name;
                open = true;
            }
            if (last.code == OpCode::Commit) {
                EXPECT_TRUE(open) << profile.name;
                open = false;
            }
            if (last.is_put() && index < spans.back().end) {
                EXPECT_GE(last.value_length, phase.value_min) << profile.name << " op " << index;
                EXPECT_LE(last.value_length, phase.value_max) << profile.name << " op " << index;
            }
            if (last.key.size() > 0) {
                std::string key(last.key.begin(), last.key.end());
                EXPECT_EQ(key.rfind(phase.key_prefix, 0), 0u) << profile.name << " op " << index << " " << key;
            }
        }
        EXPECT_FALSE(open) << profile.name;
        EXPECT_EQ(last.code, OpCode::Sync) << profile.name;
    }
}

TEST(Workload, PhasesOfAProfileCoverTheWorkloadInOrder)
{
    auto const* ring = workload::find_profile("ring");
    ASSERT_NE(ring, nullptr);
    uint32_t shares = 0;
    for (auto const& phase : ring->phases)
        shares += phase.share;
    EXPECT_EQ(shares, 100u);
    auto spans = workload::phase_spans(*ring, 1001);
    ASSERT_EQ(spans.size(), ring->phases.size());
    uint32_t first = 0;
    for (auto const& span : spans) {
        EXPECT_EQ(span.first, first);
        EXPECT_GE(span.end, span.first);
        first = span.end;
    }
    EXPECT_EQ(spans.front().end, 120u); // 12% of the 1000 ops before the final sync
    EXPECT_EQ(spans.back().end, 1000u);
    // A workload too short for every phase still ends with its sync and nothing else.
    auto tiny = Workload::parse(view(workload::generate(1, 1, *ring)));
    ASSERT_FALSE(tiny.is_error());
    EXPECT_EQ(tiny.value().op_count(), 1u);
}

TEST(Workload, TextFormListsOpsWithTheirArguments)
{
    auto bytes = sample();
    auto text = workload::to_text(Workload::parse(view(bytes)).release_value());
    EXPECT_NE(text.find("# ferros workload v1: 7 ops"), std::string::npos) << text;
    EXPECT_NE(text.find("     1 put key=alpha len=3 value=6f6e65"), std::string::npos) << text;
    EXPECT_NE(text.find("     2 put key=beta len=100 seed=0x7"), std::string::npos) << text;
    EXPECT_NE(text.find("     4 delete key=alpha"), std::string::npos) << text;
}
