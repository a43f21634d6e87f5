#pragma once
// Runs one QEMU to completion with its output discarded; the benchmark's only process helper.

#include <string>
#include <vector>

namespace ferros::bench {

struct QemuRun {
    int status { -1 }; // QEMU's exit status, or -1 if it could not start or died of a signal
    double cpu_seconds { 0 }; // user + system time of QEMU, all its threads
};

QemuRun run_qemu(const std::vector<std::string>& argv);

} // namespace ferros::bench
