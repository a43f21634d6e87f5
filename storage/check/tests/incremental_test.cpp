// The incremental checker against the full one: on every state of several crash
// explorations (clean runs, each seeded bug, torn and prefix policies, a ring that turns, a
// device large enough never to turn) both give the same violations, one by one, message for
// message. States are checked in the order a campaign meets them, so the incremental side
// reuses what it verified on each durable image exactly as a campaign's walk does.
#include <ferros/check/checker.h>
#include <ferros/check/workload.h>
#include <ferros/crash/content_hash.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/seeded_bug.h>
#include <ferros/storage/store.h>
#include <gtest/gtest.h>
#include <unordered_set>

using namespace ferros;
using namespace ferros::check;
using storage::SeededBug;

namespace {

struct Scenario {
    const char* name;
    SeededBug bug;
    const char* policy;
    uint64_t device_size;
    uint64_t log_budget; // 0: the store's default
    RandomWorkloadOptions workload;

    friend void PrintTo(const Scenario& scenario, std::ostream* out) { *out << scenario.name; }
};

RandomWorkloadOptions small(uint64_t seed)
{
    RandomWorkloadOptions options;
    options.seed = seed;
    options.steps = 80;
    options.key_space = 10;
    options.max_value = 60;
    options.sync_percent = 30;
    return options;
}

// A ring that turns: cold keys carried forward from the tail, checkpoints every 4 KiB.
RandomWorkloadOptions rotating(uint64_t seed, size_t steps)
{
    RandomWorkloadOptions options;
    options.seed = seed;
    options.steps = steps;
    options.key_space = 12;
    options.max_value = 300;
    options.sync_percent = 30;
    options.cold_keys = 20;
    return options;
}

std::string describe(const std::vector<Violation>& violations)
{
    std::string text;
    for (auto const& v : violations)
        text += std::string(invariant_id(v.invariant)) + ": " + v.message + "\n";
    return text.empty() ? "none\n" : text;
}

struct Tally {
    uint64_t states { 0 };
    uint64_t with_violations { 0 };
    uint64_t mismatches { 0 };
};

// Runs the scenario's workload on the host SSD, and at every cut checks each distinct state
// both ways. Returns what was compared.
Tally compare_every_state(const Scenario& scenario)
{
    auto const policy = crash::Policy::parse(scenario.policy).value();
    CheckOptions full;
    full.store.bug = scenario.bug;
    full.store.log_budget = scenario.log_budget;
    full.full_check = true;
    CheckOptions incremental = full;
    incremental.full_check = false;

    storage::HostSsd formatted(scenario.device_size);
    EXPECT_FALSE(storage::Store::format(formatted).is_error());
    storage::HostSsd ssd(std::vector<uint8_t>(formatted.model().durable().begin(), formatted.model().durable().end()));
    History history;
    Tally tally;
    uint64_t cut = 0;
    std::vector<uint8_t> image;
    ssd.observe([&](const storage::HostSsd& device) {
        auto space = device.states(policy, cut++);
        ASSERT_FALSE(space.is_error());
        auto const& states = space.value();
        auto const durable = device.model().durable();
        image.assign(durable.begin(), durable.end());
        std::unordered_set<uint64_t> seen;
        for (uint64_t index = 0; index < states.count(); ++index) {
            if (!seen.insert(states.hash(index)).second)
                continue;
            StateView view { durable, states.durable_hash(), {} };
            states.changes(index, view.changes);
            auto const fast = check_state(view, history, incremental);
            states.apply(index, image);
            auto const reference = check_state(image, history, full);
            states.restore(index, image);
            ++tally.states;
            tally.with_violations += !reference.empty();
            bool same = fast.size() == reference.size();
            for (size_t i = 0; same && i < fast.size(); ++i)
                same = fast[i].invariant == reference[i].invariant && fast[i].message == reference[i].message;
            if (!same && ++tally.mismatches <= 3)
                ADD_FAILURE() << scenario.name << ": cut " << cut - 1 << " state " << index << "\nfull:\n"
                              << describe(reference) << "incremental:\n"
                              << describe(fast);
        }
    });
    storage::StoreOptions store_options;
    store_options.bug = scenario.bug;
    store_options.log_budget = scenario.log_budget;
    (void)run_workload(random_workload(scenario.workload), ssd, store_options, history);
    return tally;
}

} // namespace

class IncrementalCheck : public ::testing::TestWithParam<Scenario> { };

TEST_P(IncrementalCheck, GivesTheFullCheckersVerdictOnEveryState)
{
    auto const& scenario = GetParam();
    auto const tally = compare_every_state(scenario);
    EXPECT_EQ(tally.mismatches, 0u) << tally.states << " states compared";
    EXPECT_GT(tally.states, 100u) << "the exploration must reach enough states to mean something";
    // A seeded bug must show in the comparison, or it compared only healthy states.
    if (scenario.bug != SeededBug::None)
        EXPECT_GT(tally.with_violations, 0u) << storage::seeded_bug_name(scenario.bug) << " went unnoticed";
    else
        EXPECT_EQ(tally.with_violations, 0u);
}

INSTANTIATE_TEST_SUITE_P(Campaigns, IncrementalCheck,
    ::testing::Values(Scenario { "clean_cache", SeededBug::None, "cache:512:4", 64 * 1024, 1024, small(1) },
        Scenario { "clean_torn", SeededBug::None, "torn:64:6", 64 * 1024, 1024, small(2) },
        Scenario { "clean_prefix", SeededBug::None, "prefix", 64 * 1024, 1024, small(3) },
        Scenario { "rotating", SeededBug::None, "cache:512:4", 64 * 1024, 4096, rotating(4, 150) },
        Scenario { "large_device", SeededBug::None, "cache:512:4", 1024 * 1024, 0, small(5) },
        Scenario { "no_flush_before_commit", SeededBug::NoFlushBeforeCommit, "cache:512:8", 64 * 1024, 1024, small(7) },
        Scenario { "anchor_before_data", SeededBug::AnchorBeforeData, "prefix", 64 * 1024, 1024, small(7) },
        Scenario { "checksums_not_verified", SeededBug::ChecksumsNotVerified, "cache:64:8", 64 * 1024, 1024, small(7) },
        Scenario { "non_atomic_anchor", SeededBug::NonAtomicAnchor, "cache:64:8", 64 * 1024, 1024, small(7) },
        Scenario {
            "free_before_relocate", SeededBug::FreeBeforeRelocate, "cache:512:8", 64 * 1024, 4096, rotating(7, 150) },
        Scenario { "torn_rotating", SeededBug::None, "torn:64:6", 64 * 1024, 4096, rotating(8, 120) }),
    [](const auto& info) { return std::string(info.param.name); });
