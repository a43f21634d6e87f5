#pragma once
// What the plugin's QEMU tests share: the test guest's machine (built by the lead's
// ferros::machine, the one place that spells QEMU's flags), running QEMU with a timeout and
// an optional SIGINT, and reading back images and events files.

#include <cstdint>
#include <ferros/machine/machine.h>
#include <ferros/plugin/events_file.h>
#include <optional>
#include <string>
#include <vector>

namespace ferros::plugin::test {

constexpr uint64_t kWindowBase = 0x0400'0000; // test_guest.s writes here
constexpr uint64_t kWindowSize = 0x10000;

std::string temp_path(const std::string& name);

// An SSD image for the test guest: its parameters in the first 16 bytes, 0xa5 elsewhere.
std::string make_guest_image(const std::string& name, uint32_t rounds, uint32_t flush_every);

// The test guest with `image` in its window and the plugin loaded with `config` (its path is
// filled in).
machine::Machine guest_machine(const std::string& image, machine::PluginConfig config);

struct RunResult {
    int status { -1 }; // QEMU's exit status, or -1 when it was killed by a signal
    std::string stderr_text;
};

// Runs QEMU for `m`, stdout to /dev/null. With `interrupt_after_ms`, sends SIGINT then.
RunResult run(const machine::Machine& m, std::optional<int> interrupt_after_ms = std::nullopt);
// Runs QEMU with an argv as given (for arguments the machine description would never emit).
RunResult run_argv(const std::vector<std::string>& argv, std::optional<int> interrupt_after_ms = std::nullopt);

std::vector<uint8_t> read_bytes(const std::string& path);
std::vector<EventLine> read_events(const std::string& path);

} // namespace ferros::plugin::test
