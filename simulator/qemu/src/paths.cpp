#include <ferros/crash/policy.h>
#include <ferros/qemu/paths.h>
#include <fmt/format.h>
#include <sys/stat.h>

namespace ferros::qemu {

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

Result<machine::PluginConfig> plugin_config()
{
    if (!file_exists(paths().plugin))
        return Failure(ErrorCode::Unavailable,
            fmt::format("this command needs the power-cut plugin, which this build lacks ({}); use the dev preset",
                paths().plugin));
    machine::PluginConfig config;
    config.path = paths().plugin;
    return config;
}

Result<std::string> checked_policy(const std::string& text)
{
    auto policy = crash::Policy::parse(text);
    if (policy.is_error())
        return Failure(
            ErrorCode::InvalidArgument, fmt::format("unknown policy '{}': {}", text, describe_error(policy.error())));
    return policy.value().to_string();
}

} // namespace ferros::qemu
