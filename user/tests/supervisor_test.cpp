// The supervisor (user/supervisor) against the real kernel: a request the server dies on (or
// spins on, in user mode, until the watchdog ends it) fails with ServerRestarted and the
// restarted server answers the next one; a server that crashes at
// start-up every time is restarted a bounded number of times, then given up on, with a marker
// and a console line, while the kernel and the other processes go on to power-off. The store's
// own supervisor is exercised by every boot with an SSD.

#include "../../tests/support/ferros_runner.h"
#include <ferros/abi/syscall.h>
#include <ferros/workload/builder.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>

using ferros::testing::FerrosRun;
using ferros::testing::run_ferros;

namespace {

FerrosRun run_bundle(const char* name)
{
    return run_ferros(
        { "run", "--workload", std::string(FERROS_USER_DIR) + "/" + name + ".bundle", "--until", "poweroff" }, 300);
}

size_t count(const std::string& text, const std::string& pattern)
{
    std::regex re(pattern);
    return static_cast<size_t>(
        std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

} // namespace

TEST(Supervisor, ARequestInFlightFailsWithServerRestartedAndTheRestartedServerAnswers)
{
    auto r = run_bundle("supervise-flaky");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_TRUE(r.contains("ferros: client: request in flight: ServerRestarted")) << r.out;
    EXPECT_TRUE(r.contains("ferros: client: request after the restart: answered")) << r.out;
    EXPECT_EQ(count(r.out, R"(ferros: process [0-9]+ \(flaky\) killed: #UD)"), 1u) << r.out;
    EXPECT_TRUE(r.contains("ferros: supervisor: flaky ended (status 262); restart 1 of 3")) << r.out;
    EXPECT_FALSE(r.contains("FAIL")) << r.out;
    EXPECT_FALSE(r.contains("blocked forever")) << r.out;
    EXPECT_TRUE(r.contains("ferros: run ended: poweroff")) << r.out;
}

TEST(Supervisor, AServerSpinningInUserModeIsEndedByTheWatchdogAndRestarted)
{
    // The server takes a request and loops without a system call: the timer finds it in user
    // mode for the whole spin budget (abi::spin_budget_ticks of the 256 KiB SSD `ferros run`
    // gives the machine), the watchdog ends it with status 512, and it is restarted like a
    // crashed one, at the same instruction on every run.
    auto r = run_bundle("supervise-spin");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    std::string const ticks = std::to_string(ferros::abi::spin_budget_ticks(256 * 1024));
    EXPECT_EQ(count(r.out,
                  R"(ferros: process [0-9]+ \(flaky\) killed: spinning, )" + ticks
                      + R"( ticks without a successful system call, found by the watchdog of process [0-9]+)"),
        1u)
        << r.out;
    EXPECT_TRUE(r.contains("ferros: supervisor: flaky ended (status 512); restart 1 of 3")) << r.out;
    EXPECT_TRUE(r.contains("ferros: client: request in flight: ServerRestarted")) << r.out;
    EXPECT_TRUE(r.contains("ferros: client: request after the restart: answered")) << r.out;
    EXPECT_FALSE(r.contains("FAIL")) << r.out;
    EXPECT_TRUE(r.contains("ferros: run ended: poweroff")) << r.out;
    EXPECT_EQ(run_bundle("supervise-spin").out, r.out);
}

TEST(Supervisor, GivesUpOnAServerThatCrashesAtStartWhileEverythingElseRunsOn)
{
    auto r = run_bundle("supervise-crash");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    // One start and three restarts, each killed by its #UD; then the supervisor gives up.
    EXPECT_EQ(count(r.out, R"(ferros: process [0-9]+ \(crasher\) killed: #UD)"), 4u) << r.out;
    EXPECT_EQ(count(r.out, R"(ferros: supervisor: crasher ended \(status 262\); restart [1-3] of 3)"), 3u) << r.out;
    EXPECT_TRUE(r.contains("ferros: supervisor: gave up on crasher after 3 restarts (last status 262)")) << r.out;
    // The waiting client learns that nobody will answer, the bystander finishes, the kernel
    // powers off.
    EXPECT_TRUE(r.contains("ferros: client: request to a server that never came up: PeerGone")) << r.out;
    EXPECT_TRUE(r.contains("ferros: bystander: done rounds=20 sum=")) << r.out;
    EXPECT_FALSE(r.contains("FAIL")) << r.out;
    EXPECT_FALSE(r.contains("panic")) << r.out;
    EXPECT_TRUE(r.contains("ferros: run ended: poweroff")) << r.out;
}

TEST(Supervisor, AnInjectedKillOfTheStoreServerIsRestartedAndTheWorkloadCompletes)
{
    // ferros.inject: the store server is killed after exactly 20 000 of its user instructions
    // (during its recovery at boot); its supervisor restarts it, the restarted server recovers,
    // and the hostile test's bystander, a store client, finishes.
    auto run = [] {
        return run_ferros({ "run", "--workload", FERROS_HOSTILE_BUNDLE, "--until", "poweroff", "--append",
                              "ferros.inject=store,20000,kill" },
            300);
    };
    auto r = run();
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(count(r.out, R"(ferros: process [0-9]+ \(store\) killed: injected kill \(vector 1\))"), 1u) << r.out;
    EXPECT_TRUE(r.contains("ferros: supervisor: store ended (status 257); restart 1 of 3")) << r.out;
    EXPECT_EQ(count(r.out, R"(ferros: self-check ok)"), 1u) << r.out;
    EXPECT_TRUE(r.contains("ferros: bystander: done rounds=20 sum=")) << r.out;
    // Deterministic: the same N and kind give the same run, byte for byte.
    EXPECT_EQ(run().out, r.out);
}

namespace {

// The store server's user instructions in a run of `ops` with no fault (the kernel's "did not
// fire" line): where a kill lands is counted in them.
uint64_t server_instructions(const std::string& workload)
{
    auto r = run_ferros(
        { "run", "--workload", workload, "--until", "poweroff", "--append", "ferros.inject=store,1000000000000,kill" },
        300);
    std::smatch m;
    std::regex line(R"(did not fire: process [0-9]+ \(store\) retired ([0-9]+) user instructions)");
    if (r.status != 0 || !std::regex_search(r.out, m, line))
        return 0;
    return std::stoull(m[1]);
}

std::string write_workload(const std::string& name, const ferros::workload::Builder& builder)
{
    auto path = std::filesystem::temp_directory_path() / ("ferros-supervisor-" + name + ".bin");
    auto bytes = builder.finish();
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return path.string();
}

} // namespace

// A transaction dies with the server that held it: the calls meant to join it must not reach the
// restarted server, which has no transaction and would commit each put on its own (a part of
// the transaction made visible). They answer ServerRestarted, the commit too, and none of the
// transaction's puts is ever seen; the next transaction works.
TEST(Supervisor, ATransactionDiesWithItsServerAndNoPartOfItBecomesVisible)
{
    std::string const big(30000, 'v');
    auto builder = [&](int upto) {
        ferros::workload::Builder b;
        b.begin();
        if (upto >= 1)
            b.put("k1", big);
        if (upto >= 2)
            b.put("k2", "two").commit().get("k1").get("k2").begin().put("k3", "three").commit().get("k3");
        return b;
    };
    // The kill lands halfway through the server's handling of the first put (staged in the
    // transaction: a few hundred instructions).
    uint64_t const before = server_instructions(write_workload("begin", builder(0)));
    uint64_t const after = server_instructions(write_workload("put", builder(1)));
    ASSERT_GT(before, 0u);
    ASSERT_GT(after, before + 50);
    auto const workload = write_workload("txn", builder(2));
    auto r = run_ferros({ "run", "--workload", workload, "--until", "poweroff", "--append",
                            "ferros.inject=store," + std::to_string((before + after) / 2) + ",kill" },
        300);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_TRUE(r.contains("ferros: supervisor: store ended (status 257); restart 1 of 3")) << r.out;
    // put k1 (in flight), put k2 and commit: ServerRestarted; get k1 and get k2: NotFound. Before
    // the kernel ended such transactions, put k2 was committed alone and only 3 calls failed.
    EXPECT_TRUE(r.contains("ferros: workload done ops=10 errors=5")) << r.out;
}
