// `ferros repro --gdb`: the reboot of the crash state waits for a debugger at its first
// instruction, gdb attaches over QEMU's gdbstub, and once it lets the guest run the repro ends
// with the violation, as without --gdb.
#include "../support/campaign_output.h"
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <gtest/gtest.h>
#include <sstream>
#include <thread>
#include <unistd.h>

using ferros::testing::fresh_dir;
using ferros::testing::last_json;
using ferros::testing::run_ferros;

namespace {

// Whether something listens on the TCP port, read from /proc/net/tcp rather than by
// connecting: a connection that QEMU's gdbstub accepted and saw close could let the guest run.
bool listening(uint16_t port)
{
    std::ifstream table("/proc/net/tcp");
    std::string line;
    std::getline(table, line); // the header
    char wanted[16];
    std::snprintf(wanted, sizeof wanted, ":%04X", port);
    while (std::getline(table, line)) {
        std::istringstream fields(line);
        std::string slot, local, remote, state;
        fields >> slot >> local >> remote >> state;
        if (local.size() > 5 && local.substr(local.size() - 5) == wanted && state == "0A")
            return true;
    }
    return false;
}

std::string run_gdb(const std::string& command)
{
    std::string out;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return out;
    char buffer[4096];
    size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
        out.append(buffer, got);
    ::pclose(pipe);
    return out;
}

} // namespace

TEST(Repro, GdbAttachesAtTheRebootsFirstInstructionAndTheViolationFollows)
{
    auto campaign
        = run_ferros({ "campaign", "--ops", "30", "--profile", "txn", "--inject-bug", "checksums-not-verified",
                         "--reboot", "none", "--json", "--out", fresh_dir("repro-gdb") },
            600);
    ASSERT_EQ(campaign.status, 1) << campaign.out << campaign.err;
    auto j = last_json(campaign);
    ASSERT_FALSE(j["violation_list"].empty());
    auto const token = j["violation_list"][0]["token"].get<std::string>();

    // A port of this process's own, so that tests running side by side do not meet.
    auto const port = static_cast<uint16_t>(20000 + ::getpid() % 20000);
    auto repro = std::async(std::launch::async, [&] {
        return run_ferros({ "repro", token, "--gdb", "--gdb-port", std::to_string(port) }, 300);
    });
    // The host checker runs first; QEMU then listens, paused at its first instruction.
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!listening(port) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(listening(port)) << "no gdbstub on port " << port;
    auto gdb = run_gdb("timeout 120 gdb -batch -nx -ex 'target remote 127.0.0.1:" + std::to_string(port)
        + "' -ex 'info registers rip' -ex continue");
    auto r = repro.get();
    // The reset vector: x86's first instruction, where QEMU waits under -S.
    EXPECT_NE(gdb.find("0xfff0"), std::string::npos) << gdb;
    EXPECT_NE(gdb.find("exited"), std::string::npos) << "gdb let the guest run to its end\n" << gdb;
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_TRUE(r.contains("violated R")) << r.out << r.err;
}
