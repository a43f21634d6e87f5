#pragma once
// Runs the built `ferros` command the way a user does and captures what it says, so that
// tests assert on the user-visible contract (messages, exit statuses, timelines).

#include <ferros/qemu/process.h>
#include <string>
#include <vector>

namespace ferros::testing {

struct FerrosRun {
    int status { -1 };
    std::string out;
    std::string err;
    bool contains(const std::string& text) const
    {
        return out.find(text) != std::string::npos || err.find(text) != std::string::npos;
    }
};

inline FerrosRun run_ferros(const std::vector<std::string>& args, double timeout_seconds = 120)
{
    std::vector<std::string> argv { FERROS_BIN };
    argv.insert(argv.end(), args.begin(), args.end());
    FerrosRun run;
    qemu::ProcessOptions options;
    options.timeout_seconds = timeout_seconds;
    options.on_line = [&](const std::string& line) { run.out += line + "\n"; };
    auto result = qemu::run_process(argv, options);
    run.status = result.exited ? result.exit_status : -1;
    run.err = result.stderr_text;
    return run;
}

// A scratch file of `size` zero bytes under the test's binary directory.
std::string scratch_file(const std::string& name, size_t size);

} // namespace ferros::testing
