// Reboot workers (simulator/qemu/reboot_worker.h): a long-lived QEMU must give every crash
// state the verdict and the instruction count a fresh QEMU gives it, and a hang or a death
// must cost one verdict, not the worker.
#include <atomic>
#include <ferros/base/rng.h>
#include <ferros/campaign/phases.h>
#include <ferros/campaign/plan.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/paths.h>
#include <ferros/qemu/reboot_worker.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <thread>

using namespace ferros;

namespace {

std::string test_dir(const std::string& name)
{
    auto const* test = ::testing::UnitTest::GetInstance()->current_test_info();
    auto dir = std::string(FERROS_TEST_SCRATCH) + "/" + test->test_suite_name() + "." + test->name() + "-" + name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// Crash states of a real run: the states at boundaries spread over the traced run, the last
// state of each, and copies with bytes flipped (so that some recoveries fail), `count` in all.
std::vector<std::vector<uint8_t>> crash_states(const campaign::Plan& plan, size_t count)
{
    campaign::QuietReporter quiet;
    auto trace = campaign::trace_phase(plan, quiet).release_value();
    auto r = campaign::open_reconstructor(trace, plan.initial_image).release_value();
    uint64_t const end = r.end_boundary().value();
    std::vector<std::vector<uint8_t>> states;
    Rng rng(7);
    size_t const clean = count / 2;
    for (size_t i = 0; i < clean; ++i) {
        EXPECT_FALSE(r.advance_to(Boundary(end * i / clean)).is_error());
        auto space = r.states(plan.policy, plan.seed).release_value();
        states.push_back(space.image(rng.below(space.count())).release_value());
    }
    for (size_t i = 0; states.size() < count; ++i) {
        // Flip a few bytes anywhere: some land in anchors, records or index nodes.
        auto image = states[i % clean];
        for (int k = 0; k < 4; ++k)
            image[rng.below(image.size())] ^= static_cast<uint8_t>(1 + rng.below(255));
        states.push_back(std::move(image));
    }
    return states;
}

// The campaign whose run the state tests take their crash states from: 60 operations.
campaign::Plan small_plan()
{
    campaign::CampaignOptions options;
    options.seed = 3;
    options.ops = 60;
    options.out = test_dir("campaign");
    return campaign::make_plan(options).release_value();
}

// A worker for the states of `plan`, booting them as the campaign's reboot phase does.
qemu::WorkerOptions worker_for(const campaign::Plan& plan, const qemu::ScratchDir& scratch)
{
    qemu::WorkerOptions options;
    options.machine
        = campaign::reboot_machine(plan, plan.path("initial.img"), scratch, campaign::RebootEnd::Ready).release_value();
    options.timeout_seconds = 60;
    return options;
}

} // namespace

TEST(RebootWorker, EveryVerdictAndCountEqualsAFreshQemus)
{
    auto plan = small_plan();
    auto const states = crash_states(plan, 200);

    auto scratch = qemu::ScratchDir::create().release_value();
    auto worker_options = worker_for(plan, scratch);
    auto worker = qemu::RebootWorker::start(worker_options);
    ASSERT_FALSE(worker.is_error()) << worker.error().message();

    size_t ready = 0, failed = 0;
    for (size_t i = 0; i < states.size(); ++i) {
        auto in_worker = worker.value()->check(states[i]);
        ASSERT_FALSE(in_worker.is_error()) << in_worker.error().message();

        auto image = scratch.file("state.img");
        ASSERT_FALSE(qemu::write_file_atomically(image, states[i]).is_error());
        auto m = campaign::reboot_machine(plan, image, scratch, campaign::RebootEnd::Ready).release_value();
        qemu::BootOptions quiet;
        quiet.echo_console = false;
        auto fresh = qemu::boot(m, quiet);
        ASSERT_FALSE(qemu::attach_plugin_events(*m.plugin->events, fresh.timeline).is_error());

        EXPECT_EQ(
            qemu::boot_outcome_name(in_worker.value().outcome), std::string(qemu::boot_outcome_name(fresh.outcome)))
            << "state " << i;
        EXPECT_EQ(qemu::ready_instructions(in_worker.value().timeline), qemu::ready_instructions(fresh.timeline))
            << "state " << i;
        EXPECT_EQ(in_worker.value().guest_error, fresh.guest_error) << "state " << i;
        (fresh.outcome == qemu::BootOutcome::Ready ? ready : failed) += 1;
    }
    // The comparison covers both kinds of verdict.
    EXPECT_GT(ready, 20u);
    EXPECT_GT(failed, 5u);
    EXPECT_EQ(worker.value()->starts(), 1u) << "no state needed a new QEMU";
}

// --depth 2 walks each recovery's trace, which a tracing worker writes: it must be the very
// trace a fresh QEMU writes of the same boot (boundaries counted from power-on through the
// firmware the worker skips, the same stores, markers, flushes and end), byte for byte.
TEST(RebootWorker, ATracingWorkersTracesAreAFreshQemusByteForByte)
{
    auto plan = small_plan();
    auto const states = crash_states(plan, 24);

    auto scratch = qemu::ScratchDir::create().release_value();
    auto worker_options = worker_for(plan, scratch);
    worker_options.trace = true;
    auto worker = qemu::RebootWorker::start(worker_options);
    ASSERT_FALSE(worker.is_error()) << worker.error().message();

    size_t compared = 0, failed = 0;
    for (size_t i = 0; i < states.size(); ++i) {
        auto const worker_trace = scratch.file("worker.ftr");
        auto in_worker = worker.value()->check(states[i], worker_trace);
        ASSERT_FALSE(in_worker.is_error()) << in_worker.error().message();
        ASSERT_TRUE(in_worker.value().process.exited) << "state " << i;

        auto image = scratch.file("state.img");
        ASSERT_FALSE(qemu::write_file_atomically(image, states[i]).is_error());
        auto m = campaign::reboot_machine(plan, image, scratch, campaign::RebootEnd::Ready).release_value();
        m.plugin->trace = scratch.file("fresh.ftr");
        qemu::BootOptions quiet;
        quiet.echo_console = false;
        auto fresh = qemu::boot(m, quiet);
        ASSERT_FALSE(qemu::attach_plugin_events(*m.plugin->events, fresh.timeline).is_error());

        auto a = qemu::read_file(worker_trace, "worker trace");
        auto b = qemu::read_file(*m.plugin->trace, "fresh trace");
        ASSERT_FALSE(a.is_error() || b.is_error()) << "state " << i;
        EXPECT_GT(a.value().size(), 0u);
        EXPECT_TRUE(a.value() == b.value())
            << "state " << i << ": " << a.value().size() << " against " << b.value().size() << " bytes";
        // The stage boundaries are a fresh QEMU's too, not only their differences.
        EXPECT_EQ(in_worker.value().timeline.end(), fresh.timeline.end()) << "state " << i;
        ++compared;
        failed += fresh.outcome != qemu::BootOutcome::Ready;
        // A check without a trace file to hand over still works, and the next check's trace
        // is its own.
        if (i == 0) {
            auto untraced = worker.value()->check(states[i]);
            ASSERT_FALSE(untraced.is_error());
            EXPECT_EQ(untraced.value().outcome, in_worker.value().outcome);
        }
    }
    EXPECT_EQ(compared, states.size());
    EXPECT_GT(failed, 0u) << "the comparison covers failing recoveries";
    EXPECT_EQ(worker.value()->starts(), 1u);
}

namespace {

// The plugin tests' guest reads its parameters from the window: `rounds` of stores, then a
// power-off. A huge count spins for minutes: a hang as far as a watchdog can tell.
std::vector<uint8_t> guest_image(uint32_t rounds)
{
    std::vector<uint8_t> image(64 * 1024, 0);
    auto put = [&](size_t at, uint32_t v) {
        for (int b = 0; b < 4; ++b)
            image[at + b] = static_cast<uint8_t>(v >> (8 * b));
    };
    put(0, rounds);
    put(4, 1);
    put(8, static_cast<uint32_t>(image.size()));
    return image;
}

qemu::WorkerOptions guest_worker(double timeout)
{
    qemu::WorkerOptions options;
    options.machine.kernel = FERROS_TEST_GUEST;
    options.machine.ssd.size = 64 * 1024;
    options.machine.plugin = qemu::plugin_config().release_value();
    options.timeout_seconds = timeout;
    return options;
}

} // namespace

TEST(RebootWorker, AHangCostsOneVerdict)
{
    auto worker = qemu::RebootWorker::start(guest_worker(1.5)).release_value();
    EXPECT_EQ(worker->check(guest_image(3)).value().outcome, qemu::BootOutcome::Poweroff);
    auto hung = worker->check(guest_image(0xffffffffu)).release_value();
    EXPECT_EQ(hung.outcome, qemu::BootOutcome::Timeout);
    EXPECT_TRUE(hung.process.timed_out);
    // The next state runs on a new QEMU, and gets its own verdict.
    EXPECT_EQ(worker->check(guest_image(3)).value().outcome, qemu::BootOutcome::Poweroff);
    EXPECT_EQ(worker->starts(), 2u);
}

TEST(RebootWorker, ADeadQemuCostsOneVerdict)
{
    auto worker = qemu::RebootWorker::start(guest_worker(60)).release_value();
    EXPECT_EQ(worker->check(guest_image(3)).value().outcome, qemu::BootOutcome::Poweroff);
    int const pid = worker->qemu_pid();
    // kill -9 while a (long) state runs: the check ends at once, not at the watchdog.
    std::thread killer([pid] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        ::kill(pid, SIGKILL);
    });
    auto start = std::chrono::steady_clock::now();
    auto dead = worker->check(guest_image(0xffffffffu)).release_value();
    killer.join();
    EXPECT_EQ(dead.outcome, qemu::BootOutcome::QemuFailed);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 30.0);
    EXPECT_EQ(worker->check(guest_image(3)).value().outcome, qemu::BootOutcome::Poweroff);
    EXPECT_EQ(worker->starts(), 2u);
}

TEST(RebootWorker, RefusesAStateOfTheWrongSize)
{
    auto worker = qemu::RebootWorker::start(guest_worker(60)).release_value();
    auto refused = worker->check(std::vector<uint8_t>(4096, 0));
    ASSERT_TRUE(refused.is_error());
    EXPECT_EQ(refused.error().code(), ErrorCode::InvalidArgument);
}
