#include <ferros/crash/policy.h>
#include <ferros/tools/error.h>
#include <ferros/tools/paths.h>
#include <ferros/tools/plugin_run.h>
#include <fmt/format.h>

namespace ferros::tools {

machine::PluginConfig plugin_config()
{
    if (!file_exists(paths().plugin))
        fail(Exit::Environment,
            fmt::format("this command needs the power-cut plugin, which this build lacks ({}); use the dev preset",
                paths().plugin));
    machine::PluginConfig config;
    config.path = paths().plugin;
    return config;
}

std::string describe_error(const Error& error)
{
    if (error.context())
        return fmt::format("{} ({})", error.context(), error_name(error.code()));
    return fmt::format("{} ({})", error.message(), error_name(error.code()));
}

} // namespace ferros::tools

namespace ferros::tools {

std::string checked_policy(const std::string& text)
{
    auto policy = crash::Policy::parse(text);
    if (policy.is_error())
        fail(Exit::Usage, fmt::format("unknown policy '{}': {}", text, describe_error(policy.error())));
    return policy.value().to_string();
}

} // namespace ferros::tools
