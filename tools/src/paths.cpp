#include <ferros/tools/paths.h>
#include <sys/stat.h>

namespace ferros::tools {

const Paths& paths()
{
    static const Paths instance {
        FERROS_SOURCE_DIR,
        FERROS_BUILD_DIR,
        FERROS_BUILD_DIR "/kernel/ferros-kernel.elf",
        FERROS_BUILD_DIR "/simulator/plugin/libferros_plugin.so",
    };
    return instance;
}

bool file_exists(const std::string& path)
{
    struct stat st { };
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

} // namespace ferros::tools
