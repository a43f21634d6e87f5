#include <CLI/CLI.hpp>
#include <cstdlib>
#include <ferros/tools/error.h>
#include <ferros/tools/machine_options.h>
#include <ferros/tools/paths.h>
#include <fmt/format.h>
#include <fstream>

namespace ferros::tools {

ScratchDir::ScratchDir()
{
    char pattern[] = "/tmp/ferros-XXXXXX";
    if (!::mkdtemp(pattern))
        fail(Exit::Environment, "cannot create a scratch directory in /tmp");
    m_path = pattern;
}

ScratchDir::~ScratchDir()
{
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

void add_machine_options(CLI::App& cmd, MachineOptions& options, SsdRequired ssd_required)
{
    cmd.add_option("--kernel", options.kernel, "Kernel ELF (default: the built kernel)");
    auto* ssd = cmd.add_option("--ssd", options.ssd,
        ssd_required == SsdRequired::Yes
            ? "SSD image (a non-zero multiple of 4 KiB)"
            : "SSD image (a multiple of 4 KiB). Without it: a blank 256 KiB SSD, discarded afterwards");
    if (ssd_required == SsdRequired::Yes)
        ssd->required();
    cmd.add_option("--workload", options.workload, "Workload file, given to the kernel as its initrd");
    cmd.add_option("--append", options.append, "Extra kernel command-line token (repeatable)");
    cmd.add_option("--timeout", options.timeout, "Wall-clock watchdog in seconds against a hung QEMU");
}

void check_ssd_image(const std::string& path, uint64_t max_size)
{
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        fail(Exit::Usage, fmt::format("SSD image '{}' does not exist", path));
    if (!std::filesystem::is_regular_file(status))
        fail(Exit::Usage, fmt::format("SSD image '{}' is not a regular file", path));
    auto size = std::filesystem::file_size(path, ec);
    if (ec || size == 0 || size % 4096 != 0 || size > max_size)
        fail(Exit::Usage,
            fmt::format("SSD image '{}' is {} bytes; it must be a non-zero multiple of 4096 bytes and at most {} "
                        "bytes",
                path, ec ? 0 : size, max_size));
}

machine::Machine make_machine(const MachineOptions& options, const ScratchDir& scratch)
{
    machine::Machine m;
    m.kernel = options.kernel.empty() ? paths().kernel : options.kernel;
    if (options.kernel.empty() && !file_exists(m.kernel))
        fail(Exit::Environment,
            fmt::format("kernel '{}' does not exist: build it with ./ferros (or pass --kernel)", m.kernel));
    if (!options.ssd.empty()) {
        check_ssd_image(options.ssd, machine::max_ssd_size(m.ram_bytes));
        m.ssd_image = options.ssd;
    } else {
        auto blank = scratch.file("blank-ssd.img");
        std::ofstream(blank, std::ios::binary).write(std::string(kDefaultSsdBytes, '\0').data(), kDefaultSsdBytes);
        m.ssd_image = blank;
    }
    m.ssd.size = std::filesystem::file_size(*m.ssd_image);
    if (!options.workload.empty())
        m.workload = options.workload;
    m.kernel_args = options.append;
    if (auto problem = machine::validate(m))
        fail(Exit::Usage, *problem);
    return m;
}

} // namespace ferros::tools
