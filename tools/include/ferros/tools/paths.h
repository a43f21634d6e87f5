#pragma once
// Where the build put the artefacts the command needs. Fixed at configure time; a flag such
// as --kernel overrides them per run.

#include <string>

namespace ferros::tools {

struct Paths {
    std::string source_dir;
    std::string build_dir;
    std::string kernel;
    std::string plugin;
};

const Paths& paths();
bool file_exists(const std::string& path);

} // namespace ferros::tools
