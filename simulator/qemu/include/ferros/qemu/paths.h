#pragma once
// Where the build put the artefacts the instrument needs (the kernel, the plugin). Fixed at
// configure time; a flag such as --kernel overrides them per run.

#include <ferros/base/failure.h>
#include <ferros/machine/machine.h>
#include <string>

namespace ferros::qemu {

struct Paths {
    std::string source_dir;
    std::string build_dir;
    std::string kernel;
    std::string plugin;
};

const Paths& paths();
bool file_exists(const std::string& path);

// A plugin configuration with the built plugin's path. Errors: Unavailable when this build
// has no plugin.
Result<machine::PluginConfig> plugin_config();

// The policy text, checked with the crash model's parser before QEMU sees it. Errors:
// InvalidArgument with the parser's reason.
Result<std::string> checked_policy(const std::string& text);

} // namespace ferros::qemu
