// The plugin in QEMU with the test guest: exact cuts, power-off and interrupt images,
// events, determinism of traces and refusal of bad input (label qemu).
#include "qemu_harness.h"
#include <ferros/abi/machine.h>
#include <ferros/trace/file_hash.h>
#include <ferros/trace/trace_reader.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::plugin;
using namespace ferros::plugin::test;

namespace {

constexpr int kPoweroff = ferros::abi::qemu_exit_status(ferros::abi::ExitValue::Poweroff);
constexpr uint64_t kTestTscKind = 0x7e; // test_guest.s: RDTSC, i.e. QEMU's instruction count

struct GuestRun {
    RunResult result;
    std::vector<EventLine> events;
};

GuestRun run_guest(const std::string& tag, machine::PluginConfig config, uint32_t rounds = 20, uint32_t flush_every = 4,
    std::optional<int> interrupt_after_ms = std::nullopt)
{
    auto image = make_guest_image(tag + ".img", rounds, flush_every);
    config.events = temp_path(tag + ".events");
    GuestRun run;
    run.result = test::run(guest_machine(image, config), interrupt_after_ms);
    run.events = read_events(*config.events);
    return run;
}

// The full run's events, computed once: the reference every cut is compared with.
const GuestRun& full_run()
{
    static GuestRun run = run_guest("full", {});
    return run;
}

uint64_t first_marker(const GuestRun& run, ferros::abi::MarkerKind kind)
{
    for (auto const& e : run.events)
        if (!e.is_end && e.kind == kind)
            return e.boundary.value();
    return 0;
}

} // namespace

TEST(PluginQemu, PowerOffEndsTheEventsFile)
{
    const GuestRun& run = full_run();
    ASSERT_EQ(run.result.status, kPoweroff) << run.result.stderr_text;
    ASSERT_FALSE(run.events.empty());
    EXPECT_TRUE(run.events.back().is_end);
    EXPECT_EQ(run.events.back().reason, EndReason::Exit);
    EXPECT_EQ(run.events.front().kind, ferros::abi::MarkerKind::Stage);
    EXPECT_EQ(run.events.front().payload, static_cast<uint64_t>(ferros::abi::BootStage::KernelEntry));
    // test_guest.s: the poweroff marker's store, `movb`, `outb`: the run ends right after the
    // `out` to isa-debug-exit, never at whatever the vCPU reaches before QEMU stops it.
    ASSERT_GE(run.events.size(), 2u);
    EXPECT_EQ(run.events[run.events.size() - 2].payload, static_cast<uint64_t>(ferros::abi::BootStage::Poweroff));
    EXPECT_EQ(run.events.back().boundary.value(), run.events[run.events.size() - 2].boundary.value() + 2);
}

TEST(PluginQemu, TheEndOfARunIsTheSameEveryTime)
{
    for (int i = 0; i < 6; ++i) {
        GuestRun run = run_guest("again" + std::to_string(i), {}, 2, 1);
        ASSERT_EQ(run.result.status, kPoweroff);
        ASSERT_GE(run.events.size(), 2u);
        EXPECT_EQ(run.events.back().boundary.value(), run.events[run.events.size() - 2].boundary.value() + 2);
    }
}

TEST(PluginQemu, CountAdvancesInStepWithQemusIcount)
{
    // Under -icount shift=0 RDTSC reads QEMU's own instruction counter. The test guest
    // reports it each round; the plugin's boundary minus it must never change.
    const GuestRun& run = full_run();
    std::optional<int64_t> offset;
    int seen = 0;
    for (auto const& e : run.events) {
        if (e.is_end || static_cast<uint64_t>(e.kind) != kTestTscKind)
            continue;
        int64_t here = static_cast<int64_t>(e.boundary.value()) - static_cast<int64_t>(e.payload);
        if (!offset)
            offset = here;
        EXPECT_EQ(here, *offset) << "at boundary " << e.boundary.value();
        ++seen;
    }
    EXPECT_EQ(seen, 20);
}

TEST(PluginQemu, CutAtNStopsAfterExactlyNInstructions)
{
    const GuestRun& full = full_run();
    uint64_t entry = first_marker(full, ferros::abi::MarkerKind::Stage);
    uint64_t durable = first_marker(full, ferros::abi::MarkerKind::OpDurable);
    ASSERT_GT(entry, 0u);
    // Around two markers: a cut at the marker's boundary includes it, one before does not.
    for (uint64_t n : { uint64_t(0), uint64_t(1), entry - 1, entry, entry + 1, durable - 1, durable }) {
        machine::PluginConfig config;
        config.cut_at = n;
        GuestRun cut = run_guest("cut" + std::to_string(n), config);
        ASSERT_EQ(cut.result.status, ferros::abi::kPluginExitCut) << cut.result.stderr_text;
        EXPECT_NE(cut.result.stderr_text.find("ferros-plugin: power cut at boundary " + std::to_string(n) + "\n"),
            std::string::npos);
        ASSERT_FALSE(cut.events.empty());
        EXPECT_TRUE(cut.events.back().is_end);
        EXPECT_EQ(cut.events.back().reason, EndReason::Cut);
        EXPECT_EQ(cut.events.back().boundary.value(), n);
        // Exactly the full run's markers up to n, no more, no fewer.
        size_t expected = 0;
        while (expected < full.events.size() && !full.events[expected].is_end
            && full.events[expected].boundary.value() <= n)
            ++expected;
        ASSERT_EQ(cut.events.size(), expected + 1) << "cut at " << n;
        for (size_t i = 0; i < expected; ++i)
            EXPECT_EQ(cut.events[i].boundary, full.events[i].boundary);
    }
}

TEST(PluginQemu, CutBeyondTheEndIsAPowerOff)
{
    const GuestRun& full = full_run();
    machine::PluginConfig config;
    config.cut_at = full.events.back().boundary.value() + 1000;
    GuestRun run = run_guest("beyond", config);
    EXPECT_EQ(run.result.status, kPoweroff);
    ASSERT_FALSE(run.events.empty());
    EXPECT_EQ(run.events.back().reason, EndReason::Exit);
    EXPECT_EQ(run.events.back().boundary, full.events.back().boundary);
}

TEST(PluginQemu, MaxInsnsStopsWithItsOwnStatus)
{
    // Within the run (qboot hands over after ~22 k instructions), and before a later cut.
    uint64_t const end = full_run().events.back().boundary.value();
    machine::PluginConfig config;
    config.max_insns = end / 2;
    config.cut_at = end / 2 + 1000;
    GuestRun run = run_guest("max", config);
    EXPECT_EQ(run.result.status, ferros::abi::kPluginExitMaxInsns);
    ASSERT_FALSE(run.events.empty());
    EXPECT_EQ(run.events.back().reason, EndReason::MaxInsns);
    EXPECT_EQ(run.events.back().boundary.value(), end / 2);
}

TEST(PluginQemu, CutMarkerCutsRightAfterTheMarkersStore)
{
    const GuestRun& full = full_run();
    machine::PluginConfig config;
    config.cut_marker = "op-durable:7";
    GuestRun run = run_guest("marker", config);
    ASSERT_EQ(run.result.status, ferros::abi::kPluginExitCut) << run.result.stderr_text;
    ASSERT_GE(run.events.size(), 2u);
    auto const& marker = run.events[run.events.size() - 2];
    EXPECT_EQ(marker.kind, ferros::abi::MarkerKind::OpDurable);
    EXPECT_EQ(marker.payload, 7u);
    EXPECT_EQ(run.events.back().boundary, marker.boundary);
    bool found = false;
    for (auto const& e : full.events)
        found |= !e.is_end && e.kind == ferros::abi::MarkerKind::OpDurable && e.payload == 7
            && e.boundary == marker.boundary;
    EXPECT_TRUE(found);
}

TEST(PluginQemu, PowerOffImageUnderStrictHoldsEveryStore)
{
    machine::PluginConfig config;
    config.image_out = temp_path("strict.out");
    config.policy = "strict";
    GuestRun run = run_guest("strict", config, 20, 0);
    ASSERT_EQ(run.result.status, kPoweroff) << run.result.stderr_text;
    auto image = read_bytes(*config.image_out);
    ASSERT_EQ(image.size(), kWindowSize);
    // Round 0 writes its 16-dword pattern at +64: 0 * 0x9e3779b1 = 0 first.
    EXPECT_EQ(load_le32(image.data() + 64), 0u);
    EXPECT_EQ(image[64 + 64], 0u); // round 0's byte store of its index
    EXPECT_EQ(image[kWindowSize - 1], 0xa5); // never written
}

TEST(PluginQemu, InterruptIsAPowerCut)
{
    // A run far longer than the wait; SIGINT makes QEMU shut down and the plugin write the
    // image and the end of the events file as at any power loss.
    machine::PluginConfig config;
    config.image_out = temp_path("interrupt.out");
    config.policy = "cache:8:4";
    GuestRun run = run_guest("interrupt", config, 2'000'000'000, 4, 1000);
    EXPECT_EQ(run.result.status, 0) << run.result.stderr_text;
    EXPECT_NE(run.result.stderr_text.find("terminating on signal 2"), std::string::npos);
    ASSERT_FALSE(run.events.empty());
    EXPECT_TRUE(run.events.back().is_end);
    EXPECT_EQ(run.events.back().reason, EndReason::Exit);
    // Where the interrupt lands depends on the machine's load; that it lands somewhere, and
    // the image and the end line are written, is what counts.
    EXPECT_GT(run.events.back().boundary.value(), 0u);
    EXPECT_EQ(read_bytes(*config.image_out).size(), kWindowSize);
}

TEST(PluginQemu, TwoTracesOfTheSameInputsAreIdentical)
{
    std::vector<uint64_t> hashes;
    for (const char* tag : { "det-a", "det-b" }) {
        machine::PluginConfig config;
        config.trace = temp_path(std::string(tag) + ".trace");
        config.policy = "torn:64";
        config.image_out = temp_path(std::string(tag) + ".out");
        GuestRun run = run_guest(tag, config, 200, 8);
        ASSERT_EQ(run.result.status, kPoweroff) << run.result.stderr_text;
        hashes.push_back(trace::hash_file(*config.trace).value());
        auto reader = trace::TraceReader::open(*config.trace);
        ASSERT_FALSE(reader.is_error()) << reader.error().context();
        EXPECT_EQ(reader.value().header().policy, "torn:64");
        EXPECT_EQ(reader.value().header().kernel_hash, trace::hash_file(FERROS_TEST_GUEST).value());
        EXPECT_NE(reader.value().header().qemu_version.find("QEMU emulator version 10."), std::string::npos);
        EXPECT_NE(reader.value().header().machine.find("microvm"), std::string::npos);
        EXPECT_EQ(reader.value().footer().stores, 200u * 29); // test_guest.s: 29 window stores a round
        EXPECT_EQ(reader.value().footer().flushes, 25u);
    }
    EXPECT_EQ(hashes[0], hashes[1]);
}
