#include "ferros_runner.h"
#include <filesystem>
#include <fstream>

namespace ferros::testing {

std::string scratch_file(const std::string& name, size_t size)
{
    auto dir = std::filesystem::path(FERROS_TEST_SCRATCH);
    std::filesystem::create_directories(dir);
    auto path = (dir / name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::string zeros(size, '\0');
    out.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
    return path;
}

} // namespace ferros::testing
