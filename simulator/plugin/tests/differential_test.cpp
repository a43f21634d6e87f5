// The differential test (issue 4): for well over 100 boundaries b of one traced run, the
// image a real cut at b leaves (plugin, state s) equals reconstruction state s at b. The
// boundaries include both sides of every FLUSH, both sides of stores inside multi-store
// writes, 0, the end, and seeded random ones; with the test guest under two policies and
// with the real kernel running a workload (label qemu).
#include "qemu_harness.h"
#include <algorithm>
#include <ferros/abi/machine.h>
#include <ferros/base/rng.h>
#include <ferros/reconstruct/reconstructor.h>
#include <ferros/trace/file_hash.h>
#include <ferros/trace/trace_reader.h>
#include <ferros/workload/builder.h>
#include <fstream>
#include <functional>
#include <future>
#include <gtest/gtest.h>
#include <set>

using namespace ferros;
using namespace ferros::plugin::test;

namespace {

struct Cut {
    uint64_t boundary;
    uint64_t state;
    uint64_t state_count;
    std::vector<uint8_t> expected;
};

// Boundaries worth cutting at, from the trace's own events.
std::set<uint64_t> interesting_boundaries(const std::string& trace_path, uint64_t end)
{
    std::set<uint64_t> chosen { 0, 1, end };
    auto reader = trace::TraceReader::open(trace_path).release_value();
    std::vector<trace::TraceEvent> events;
    uint64_t previous_store = 0;
    int flushes = 0, multi = 0;
    while (reader.next_chunk(events).value()) {
        for (auto const& e : events) {
            uint64_t b = e.boundary.value();
            if (e.kind == trace::EventKind::Flush && flushes++ < 16) {
                chosen.insert({ b - 1, b, b + 1 });
            }
            // A store a few instructions after the previous one: inside a multi-store write
            // (the test guest's unrolled stores, the kernel driver's copy loop).
            if (e.kind == trace::EventKind::Store && previous_store != 0 && b - previous_store <= 8 && multi++ < 120
                && multi % 3 == 0) {
                chosen.insert({ b - 1, b });
            }
            if (e.kind == trace::EventKind::Store)
                previous_store = b;
        }
    }
    Rng rng(0x5eed);
    uint64_t first_event_region = chosen.size() > 3 ? *std::next(chosen.begin(), 3) : 0;
    // Then seeded random boundaries: at least 30, and enough for 130 in all.
    for (int i = 0; i < 30 || chosen.size() < 130; ++i)
        chosen.insert(rng.between(first_event_region > 1000 ? first_event_region - 1000 : 0, end));
    return chosen;
}

// Makes the machine under test with the plugin configured as given.
using MachineMaker = std::function<machine::Machine(machine::PluginConfig)>;

void run_differential(const std::string& tag, const char* policy, const std::string& image, MachineMaker make)
{
    machine::PluginConfig config;
    config.trace = temp_path(tag + ".trace");
    config.policy = policy;
    machine::Machine traced_machine = make(config);
    auto traced = run(traced_machine);
    ASSERT_EQ(traced.status, ferros::abi::qemu_exit_status(ferros::abi::ExitValue::Poweroff)) << traced.stderr_text;

    auto reader = trace::TraceReader::open(*config.trace);
    ASSERT_FALSE(reader.is_error()) << reader.error().context();
    uint64_t end = reader.value().footer().end_boundary;
    auto initial = read_bytes(image);
    auto created = reconstruct::Reconstructor::create(
        reader.release_value(), initial, { .kernel_hash = trace::hash_file(traced_machine.kernel).value() });
    ASSERT_FALSE(created.is_error()) << created.error().context();
    auto r = created.release_value();

    // Reconstruct every chosen boundary in one pass; pick a state per boundary from a seeded
    // generator so that every kind of state (none, all, in between) is exercised.
    std::vector<Cut> cuts;
    Rng pick(0xd1ff);
    for (uint64_t b : interesting_boundaries(*config.trace, end)) {
        ASSERT_FALSE(r.advance_to(Boundary(b)).is_error()) << b;
        auto states = r.states(0);
        ASSERT_FALSE(states.is_error()) << b;
        uint64_t count = states.value().count();
        uint64_t s = cuts.size() % 3 == 0 ? 0 : cuts.size() % 3 == 1 ? count - 1 : pick.below(count);
        cuts.push_back(Cut { b, s, count, states.value().image(s).release_value() });
    }
    ASSERT_GE(cuts.size(), 100u);

    // The real cuts, two QEMUs at a time (the machines here have two cores).
    int with_pending = 0;
    for (size_t i = 0; i < cuts.size(); i += 2) {
        std::vector<std::future<std::pair<RunResult, std::vector<uint8_t>>>> running;
        for (size_t j = i; j < std::min(cuts.size(), i + 2); ++j) {
            running.push_back(std::async(std::launch::async, [&, j] {
                machine::PluginConfig cut_config;
                cut_config.policy = policy;
                cut_config.cut_at = cuts[j].boundary;
                cut_config.state = cuts[j].state;
                cut_config.image_out = temp_path(tag + "-cut" + std::to_string(j) + ".out");
                auto result = run(make(cut_config));
                return std::make_pair(result, read_bytes(*cut_config.image_out));
            }));
        }
        for (size_t j = i; j < std::min(cuts.size(), i + 2); ++j) {
            auto [result, bytes] = running[j - i].get();
            bool is_end = cuts[j].boundary == end;
            EXPECT_EQ(result.status,
                is_end ? ferros::abi::qemu_exit_status(ferros::abi::ExitValue::Poweroff) : ferros::abi::kPluginExitCut)
                << result.stderr_text;
            EXPECT_TRUE(bytes == cuts[j].expected)
                << "boundary " << cuts[j].boundary << " state " << cuts[j].state << " of " << cuts[j].state_count;
            with_pending += cuts[j].state_count > 1;
        }
    }
    // Most cuts fall where writes are pending, or the comparison would prove little.
    EXPECT_GT(with_pending, 50) << "cuts with more than one state";
    ::testing::Test::RecordProperty("boundaries", static_cast<int>(cuts.size()));
    printf("differential %s: %zu boundaries, %d with pending writes\n", policy, cuts.size(), with_pending);
}

void run_guest_differential(const std::string& tag, const char* policy, uint32_t flush_every)
{
    auto image = make_guest_image(tag + ".img", 24, flush_every);
    run_differential(tag, policy, image, [image](machine::PluginConfig c) { return guest_machine(image, c); });
}

} // namespace

TEST(Differential, RealCutsEqualReconstructionUnderCache) { run_guest_differential("diff-cache", "cache:8:6", 3); }

TEST(Differential, RealCutsEqualReconstructionUnderTorn) { run_guest_differential("diff-torn", "torn:64:8", 5); }

#ifdef FERROS_KERNEL_PATH
namespace {

// The real kernel with a small workload (seed 1, 40 ops, mixed) on a blank SSD: it formats
// the store, runs the workload and powers off, writing through its driver and the doorbell.
MachineMaker kernel_maker(const std::string& tag, std::string& image)
{
    std::string workload = temp_path(tag + ".workload");
    auto bytes = workload::generate(1, 40, *workload::find_profile("mixed"));
    std::ofstream(workload, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    image = temp_path(tag + ".img");
    std::ofstream(image, std::ios::binary | std::ios::trunc).write(std::string(1 << 20, '\0').data(), 1 << 20);
    return [workload, image](machine::PluginConfig c) {
        machine::Machine m;
        m.kernel = FERROS_KERNEL_PATH;
        m.workload = workload;
        m.ssd_image = image;
        m.ssd.size = 1 << 20;
        m.kernel_args.push_back("ferros.until=poweroff");
        c.path = FERROS_PLUGIN_PATH;
        m.plugin = c;
        return m;
    };
}

} // namespace

TEST(Differential, RealKernelCutsEqualReconstruction)
{
    std::string image;
    auto make = kernel_maker("diff-kernel", image);
    run_differential("diff-kernel", "cache:512:6", image, make);
}

TEST(KernelTrace, TwoTracesOfTheSameInputsAreIdentical)
{
    std::string image;
    auto make = kernel_maker("det-kernel", image);
    std::vector<uint64_t> hashes;
    for (const char* name : { "det-kernel-a.trace", "det-kernel-b.trace" }) {
        machine::PluginConfig config;
        config.trace = temp_path(name);
        config.events = temp_path(std::string(name) + ".events");
        config.policy = "torn:512";
        auto result = run(make(config));
        ASSERT_EQ(result.status, ferros::abi::qemu_exit_status(ferros::abi::ExitValue::Poweroff)) << result.stderr_text;
        hashes.push_back(trace::hash_file(*config.trace).value());
    }
    EXPECT_EQ(hashes[0], hashes[1]);
    auto reader = trace::TraceReader::open(temp_path("det-kernel-a.trace"));
    ASSERT_FALSE(reader.is_error());
    EXPECT_GT(reader.value().footer().stores, 10000u);
    EXPECT_GT(reader.value().footer().flushes, 0u);
    EXPECT_EQ(reader.value().header().kernel_hash, trace::hash_file(FERROS_KERNEL_PATH).value());
    EXPECT_TRUE(reader.value().header().has_workload);
}
#endif
