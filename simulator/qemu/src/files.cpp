#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <ferros/qemu/files.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

namespace ferros::qemu {

Result<std::vector<uint8_t>> read_file(const std::string& path, const std::string& what)
{
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        return Failure(ErrorCode::NotFound, fmt::format("{} '{}' does not exist", what, path));
    if (!std::filesystem::is_regular_file(status))
        return Failure(ErrorCode::NotFound, fmt::format("{} '{}' is not a regular file", what, path));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Failure(
            ErrorCode::NotFound, fmt::format("{} '{}' cannot be read: {}", what, path, std::strerror(errno)));
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        return Failure(ErrorCode::NotFound, fmt::format("{} '{}' cannot be read", what, path));
    return bytes;
}

Result<void> write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes)
{
    auto failed = [&] {
        return Failure(ErrorCode::InvalidArgument, fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
    };
    auto tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return failed();
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            auto failure = failed();
            ::close(fd);
            return failure;
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0)
        return failed();
    return {};
}

Result<abi::Workload> load_workload(const std::string& path, const std::vector<uint8_t>& bytes)
{
    auto parsed = abi::Workload::parse(ReadonlyBytes(bytes.data(), bytes.size()));
    if (parsed.is_error()) {
        auto error = parsed.error();
        return Failure(ErrorCode::BadFormat,
            fmt::format("workload '{}' is malformed: {}", path, error.context() ? error.context() : error.message()));
    }
    return parsed.release_value();
}

} // namespace ferros::qemu
