#include "qemu_harness.h"
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <ferros/base/bytes.h>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace ferros::plugin::test {

std::string temp_path(const std::string& name)
{
    // CTest runs each test as its own process, two at a time: names carry the test's name so
    // that no two processes share a file.
    auto const* test = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string prefix = test ? std::string(test->test_suite_name()) + "." + test->name() + "-" : "";
    return std::string(FERROS_TEST_TMP) + "/" + prefix + name;
}

std::string make_guest_image(const std::string& name, uint32_t rounds, uint32_t flush_every)
{
    std::vector<uint8_t> image(kWindowSize, 0xa5);
    store_le32(image.data() + 0, rounds);
    store_le32(image.data() + 4, flush_every);
    store_le32(image.data() + 8, static_cast<uint32_t>(kWindowSize));
    std::string path = temp_path(name);
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(image.data()), static_cast<std::streamsize>(image.size()));
    return path;
}

machine::Machine guest_machine(const std::string& image, machine::PluginConfig config)
{
    machine::Machine m;
    m.kernel = FERROS_TEST_GUEST;
    m.ssd_image = image;
    m.ssd.base = kWindowBase;
    m.ssd.size = kWindowSize;
    config.path = FERROS_PLUGIN_PATH;
    m.plugin = config;
    return m;
}

RunResult run_argv(const std::vector<std::string>& argv, std::optional<int> interrupt_after_ms)
{
    static int serial = 0;
    std::string err_path = temp_path("qemu-stderr-" + std::to_string(getpid()) + "-" + std::to_string(serial++));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> args;
    for (auto const& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid;
    RunResult result;
    if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
        posix_spawn_file_actions_destroy(&actions);
        result.stderr_text = "cannot start " + argv[0];
        return result;
    }
    posix_spawn_file_actions_destroy(&actions);
    if (interrupt_after_ms) {
        std::this_thread::sleep_for(std::chrono::milliseconds(*interrupt_after_ms));
        kill(pid, SIGINT);
    }
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    result.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    auto bytes = read_bytes(err_path);
    result.stderr_text.assign(bytes.begin(), bytes.end());
    std::remove(err_path.c_str());
    return result;
}

RunResult run(const machine::Machine& m, std::optional<int> interrupt_after_ms)
{
    return run_argv(machine::qemu_argv(m), interrupt_after_ms);
}

std::vector<uint8_t> read_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

std::vector<EventLine> read_events(const std::string& path)
{
    std::vector<EventLine> events;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        auto event = parse_event_line(line);
        if (event.is_error())
            return {};
        events.push_back(event.value());
    }
    return events;
}

} // namespace ferros::plugin::test
