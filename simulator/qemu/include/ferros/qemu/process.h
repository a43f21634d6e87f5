#pragma once
// Runs a child process (QEMU, ctest, a benchmark) with its stdout streamed line by line to a
// callback and its stderr collected. SIGINT reaching the tool is forwarded to the child and
// remembered, so that an interrupted QEMU still shuts down through its plugin (which writes
// the durable image: an interrupt is a power cut too) before the tool reports.

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ferros::qemu {

struct ProcessResult {
    bool started { false }; // false: exec failed (see error)
    bool exited { false }; // true: normal exit with exit_status
    int exit_status { -1 };
    int signal { 0 }; // the signal that ended it, if any
    bool timed_out { false }; // the wall-clock watchdog fired (a hang guard only)
    bool interrupted { false }; // the user pressed Ctrl-C while it ran
    std::string stderr_text;
    std::string error; // why it could not be started
};

struct ProcessOptions {
    // Called with each complete stdout line (without its newline); the rest is flushed at exit.
    std::function<void(const std::string&)> on_line;
    // Kill the child after this many seconds of wall time. A watchdog against hangs only:
    // nothing a run reports depends on it.
    std::optional<double> timeout_seconds;
    // Pass the child's stderr through to ours as it arrives (and still collect it).
    bool echo_stderr { false };
    // Inherit stdout instead of capturing it (on_line is then unused).
    bool inherit_stdout { false };
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options);

// argv as one shell-quoted line, for "reproduce by hand" output.
std::string shell_quote(const std::vector<std::string>& argv);

} // namespace ferros::qemu
