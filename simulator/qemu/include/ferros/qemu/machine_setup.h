#pragma once
// What every command that boots the machine shares (kernel, SSD image, workload, extra
// kernel arguments, watchdog), and the one function that turns it into a machine description.

#include <ferros/base/failure.h>
#include <ferros/machine/machine.h>
#include <filesystem>
#include <string>
#include <vector>

namespace ferros::qemu {

// A scratch directory under /tmp, removed with everything in it when it goes out of scope.
class ScratchDir {
public:
    // Errors: Unavailable when /tmp refuses a new directory.
    static Result<ScratchDir> create();
    ScratchDir(ScratchDir&& other);
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    explicit ScratchDir(std::filesystem::path path)
        : m_path(std::move(path))
    {
    }
    std::filesystem::path m_path;
};

struct MachineOptions {
    std::string kernel;
    std::string ssd;
    std::string workload;
    std::vector<std::string> append;
    double timeout { 120 };
};

// The machine the options describe. Without an SSD image the SSD is a blank 256 KiB image in
// `scratch`. Errors: Unavailable (the built kernel is missing), NotFound/InvalidArgument
// (a bad SSD image or a machine the description refuses).
Result<machine::Machine> make_machine(const MachineOptions& options, const ScratchDir& scratch);

// Checks an SSD image before QEMU sees it (exists, regular, a non-zero multiple of 4 KiB that
// fits the window). Errors: NotFound, InvalidArgument.
Result<void> check_ssd_image(const std::string& path, uint64_t max_size);

constexpr uint64_t kDefaultSsdBytes = 256ull << 10;

} // namespace ferros::qemu
