#pragma once
// Helpers for commands that need the power-cut plugin.

#include <ferros/base/error.h>
#include <ferros/machine/machine.h>
#include <string>

namespace ferros::tools {

// A plugin configuration with the built plugin's path; fails with Exit::Environment when this
// build has no plugin.
machine::PluginConfig plugin_config();

// "Corrupt: trace chunk 3 checksum mismatch" — an Error as one readable phrase.
std::string describe_error(const Error& error);

} // namespace ferros::tools

namespace ferros::tools {

// The policy text, checked with the crash model's parser before QEMU sees it; fails with
// Exit::Usage and the parser's reason.
std::string checked_policy(const std::string& text);

} // namespace ferros::tools
