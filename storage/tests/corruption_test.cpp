// Damaged images: random bytes, flipped bits, zeroed regions, truncation. Mount returns an
// error or a consistent state, reads return errors, and nothing crashes (run under ASan and
// UBSan by the asan preset).
#include <ferros/base/rng.h>
#include <ferros/check/checker.h>
#include <ferros/check/workload.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::check;

namespace {

constexpr uint64_t kDevice = 64 * 1024;

struct Written {
    std::vector<uint8_t> image;
    History history; // the same transactions, none acknowledged: any prefix is consistent
};

// A store that has turned its ring, with cold keys carried forward and a live index.
const Written& written()
{
    static Written const result = [] {
        RandomWorkloadOptions options;
        options.seed = 5;
        options.steps = 250;
        options.max_value = 300;
        options.cold_keys = 20;
        auto const workload = random_workload(options);
        storage::HostSsd ssd(kDevice);
        EXPECT_FALSE(storage::Store::format(ssd).is_error());
        History acknowledged;
        storage::StoreOptions store_options;
        store_options.log_budget = 4096;
        EXPECT_FALSE(run_workload(workload, ssd, store_options, acknowledged).is_error());
        Written out;
        out.image.assign(ssd.model().durable().begin(), ssd.model().durable().end());
        for (auto const& transaction : acknowledged.transactions())
            out.history.submit(transaction);
        return out;
    }();
    return result;
}

CheckOptions check_options()
{
    CheckOptions options;
    options.store.log_budget = 4096;
    return options;
}

// Damage is either detected (R1: mount refuses; R2: a record, node or read fails to verify;
// R14: the store mounts and reads back, but cannot go on, for example from an older anchor
// whose tail the ring has since overwritten) or harmless: the state is then the state after
// some prefix of the transactions.
void expect_detected_or_consistent(const std::vector<uint8_t>& image, const std::string& what)
{
    auto const violations = check_state(image, written().history, check_options());
    bool detected = false;
    for (auto const& violation : violations)
        detected |= violation.invariant == Invariant::R1 || violation.invariant == Invariant::R2
            || violation.invariant == Invariant::R14;
    if (!detected) {
        for (auto const& violation : violations)
            ADD_FAILURE() << what << ": undetected damage: " << invariant_id(violation.invariant) << " "
                          << violation.message;
    }
}

} // namespace

TEST(Corruption, TheUndamagedImageIsConsistent)
{
    auto const violations = check_state(written().image, written().history, check_options());
    EXPECT_TRUE(violations.empty()) << (violations.empty() ? "" : violations[0].message);
}

TEST(Corruption, FlippedBitsAreDetectedOrHarmless)
{
    Rng rng(1);
    for (int round = 0; round < 300; ++round) {
        auto image = written().image;
        uint64_t const offset = rng.below(image.size());
        image[offset] ^= static_cast<uint8_t>(1u << rng.below(8));
        expect_detected_or_consistent(image, "bit flip at " + std::to_string(offset));
    }
}

TEST(Corruption, RandomBytesAndZeroedRegionsAreDetectedOrHarmless)
{
    Rng rng(2);
    for (int round = 0; round < 200; ++round) {
        auto image = written().image;
        uint64_t const length = 1 + rng.below(rng.chance(1, 2) ? 64 : 4096);
        uint64_t const offset = rng.below(image.size() - length);
        bool const zero = rng.chance(1, 2);
        for (uint64_t i = 0; i < length; ++i)
            image[offset + i] = zero ? 0 : static_cast<uint8_t>(rng.next());
        expect_detected_or_consistent(
            image, std::string(zero ? "zeroed" : "random") + " bytes at " + std::to_string(offset));
    }
}

TEST(Corruption, DamagedAnchorsFallBackOrFail)
{
    // Zeroing every anchor slot leaves nothing to mount from: NoAnchor, not a crash.
    auto image = written().image;
    std::fill(image.begin(), image.begin() + ring::kRingStart, 0);
    std::vector<uint8_t> memory(storage::Store::kMemorySize + 8);
    storage::HostSsd ssd(image);
    storage::Store store(ssd, Bytes(memory.data(), storage::Store::kMemorySize));
    auto mounted = store.mount();
    ASSERT_TRUE(mounted.is_error());
    EXPECT_EQ(mounted.error().code(), ErrorCode::NoAnchor);
}

TEST(Corruption, TruncatedAndGarbageImagesNeverMount)
{
    std::vector<uint8_t> memory(storage::Store::kMemorySize + 8);
    for (uint64_t size : std::initializer_list<uint64_t> { 0, 100, 4096, 60 * 1024, kDevice - 4096 }) {
        std::vector<uint8_t> image(written().image.begin(), written().image.begin() + std::min(size, kDevice));
        storage::HostSsd ssd(image);
        storage::Store store(ssd, Bytes(memory.data(), storage::Store::kMemorySize));
        EXPECT_TRUE(store.mount().is_error()) << "image truncated to " << size << " bytes";
    }
    Rng rng(3);
    for (int round = 0; round < 50; ++round) {
        std::vector<uint8_t> image(kDevice);
        for (auto& byte : image)
            byte = static_cast<uint8_t>(rng.next());
        storage::HostSsd ssd(image);
        storage::Store store(ssd, Bytes(memory.data(), storage::Store::kMemorySize));
        EXPECT_TRUE(store.mount().is_error()) << "random image " << round;
    }
}

TEST(Corruption, ReadsOfADamagedValueFailWithCorrupt)
{
    // Damage the newest commit's value bytes in place: its record no longer verifies.
    auto image = written().image;
    std::vector<uint8_t> memory(storage::Store::kMemorySize + 8);
    storage::HostSsd probe(image);
    storage::Store store(probe, Bytes(memory.data(), storage::Store::kMemorySize), check_options().store);
    ASSERT_FALSE(store.mount().is_error());
    // A key whose value is long enough to be found in the image.
    storage::KeyBuffer key;
    size_t length = 0;
    std::vector<uint8_t> value(storage::kMaxValueLength);
    bool more = store.next_key(ReadonlyBytes(), true, key, length).value();
    while (more && length < 32) {
        auto const previous = key;
        more = store.next_key(previous.view(), false, key, length).value();
    }
    ASSERT_TRUE(more);
    ASSERT_FALSE(store.get(key.view(), Bytes(value.data(), value.size())).is_error());
    // Damage every copy of the value in the ring (older copies may still lie about).
    int copies = 0;
    for (auto at = image.begin() + ring::kRingStart;;) {
        at = std::search(at, image.end(), value.begin(), value.begin() + static_cast<long>(length));
        if (at == image.end())
            break;
        *at ^= 0x40;
        ++copies;
        at += static_cast<long>(length);
    }
    ASSERT_GT(copies, 0);
    storage::HostSsd damaged(image);
    storage::Store again(damaged, Bytes(memory.data(), storage::Store::kMemorySize), check_options().store);
    auto mounted = again.mount();
    if (mounted.is_error())
        return; // the damaged record was in the log: mount may stop there or refuse
    auto got = again.get(key.view(), Bytes(value.data(), value.size()));
    ASSERT_TRUE(got.is_error()) << "a damaged value must not be returned";
    EXPECT_EQ(got.error().code(), ErrorCode::Corrupt);
}
