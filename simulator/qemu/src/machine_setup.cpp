#include <cstdlib>
#include <ferros/qemu/machine_setup.h>
#include <ferros/qemu/paths.h>
#include <fmt/format.h>
#include <fstream>

namespace ferros::qemu {

Result<ScratchDir> ScratchDir::create()
{
    char pattern[] = "/tmp/ferros-XXXXXX";
    if (!::mkdtemp(pattern))
        return Failure(ErrorCode::Unavailable, "cannot create a scratch directory in /tmp");
    return ScratchDir(pattern);
}

ScratchDir::ScratchDir(ScratchDir&& other)
    : m_path(std::move(other.m_path))
{
    other.m_path.clear();
}

ScratchDir::~ScratchDir()
{
    if (m_path.empty())
        return;
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

Result<void> check_ssd_image(const std::string& path, uint64_t max_size)
{
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        return Failure(ErrorCode::NotFound, fmt::format("SSD image '{}' does not exist", path));
    if (!std::filesystem::is_regular_file(status))
        return Failure(ErrorCode::NotFound, fmt::format("SSD image '{}' is not a regular file", path));
    auto size = std::filesystem::file_size(path, ec);
    if (ec || size == 0 || size % 4096 != 0 || size > max_size)
        return Failure(ErrorCode::InvalidArgument,
            fmt::format("SSD image '{}' is {} bytes; it must be a non-zero multiple of 4096 bytes and at most {} "
                        "bytes",
                path, ec ? 0 : size, max_size));
    return {};
}

Result<machine::Machine> make_machine(const MachineOptions& options, const ScratchDir& scratch)
{
    machine::Machine m;
    m.kernel = options.kernel.empty() ? paths().kernel : options.kernel;
    if (options.kernel.empty() && !file_exists(m.kernel))
        return Failure(ErrorCode::Unavailable,
            fmt::format("kernel '{}' does not exist: build it with ./ferros (or pass --kernel)", m.kernel));
    if (!options.ssd.empty()) {
        TRY(check_ssd_image(options.ssd, machine::max_ssd_size(m.ram_bytes)));
        m.ssd_image = options.ssd;
    } else {
        auto blank = scratch.file("blank-ssd.img");
        std::ofstream(blank, std::ios::binary).write(std::string(kDefaultSsdBytes, '\0').data(), kDefaultSsdBytes);
        m.ssd_image = blank;
    }
    m.ssd.size = std::filesystem::file_size(*m.ssd_image);
    // The firmware keeps the last 4 KiB of RAM for itself, so a window that reaches the end
    // of RAM is not inside RAM for the kernel; and with only a MiB of RAM above the window,
    // SeaBIOS wrote 84 k stores into it before the kernel's first instruction (a trace of a
    // 64 MiB store showed them pending at the first FLUSH). A window that comes within a MiB
    // of the end of RAM gets 64 MiB of RAM above it (a 64 MiB store: 192 MiB); smaller windows
    // keep the default machine unchanged.
    if (m.ssd.base + m.ssd.size + (1ull << 20) > m.ram_bytes)
        m.ram_bytes = m.ssd.base + ((m.ssd.size + (1ull << 20) - 1) & ~((1ull << 20) - 1)) + (64ull << 20);
    if (!options.workload.empty())
        m.workload = options.workload;
    m.kernel_args = options.append;
    if (auto problem = machine::validate(m))
        return Failure(ErrorCode::InvalidArgument, *problem);
    return m;
}

} // namespace ferros::qemu
