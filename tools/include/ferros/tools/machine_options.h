#pragma once
// The options every command that boots the machine shares (--kernel, --ssd, --workload,
// --append, --timeout), and the one function that turns them into a machine description.

#include <ferros/machine/machine.h>
#include <filesystem>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ferros::tools {

// A scratch directory under /tmp, removed with everything in it when it goes out of scope.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

struct MachineOptions {
    std::string kernel;
    std::string ssd;
    std::string workload;
    std::vector<std::string> append;
    double timeout { 120 };
};

enum class SsdRequired { No, Yes };

void add_machine_options(CLI::App& cmd, MachineOptions& options, SsdRequired ssd_required);

// The machine the options describe. Without --ssd (when allowed) the SSD is a blank 256 KiB
// image in `scratch`. Fails with a UserError for anything the options get wrong.
machine::Machine make_machine(const MachineOptions& options, const ScratchDir& scratch);

// Checks an SSD image before QEMU sees it (exists, regular, a non-zero multiple of 4 KiB that
// fits the window).
void check_ssd_image(const std::string& path, uint64_t max_size);

constexpr uint64_t kDefaultSsdBytes = 256ull << 10;

} // namespace ferros::tools
