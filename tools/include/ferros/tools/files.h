#pragma once
// File helpers for the tool: whole-file reads with user-facing errors, crash-safe writes.

#include <cstdint>
#include <ferros/abi/workload.h>
#include <string>
#include <vector>

namespace ferros::tools {

// Reads a whole file; fails with Exit::Usage naming `what` if it is missing or unreadable.
std::vector<uint8_t> read_file(const std::string& path, const std::string& what);

// Writes via a temporary file, fsync and rename, so a crash leaves the old file or the new.
void write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

// Parses a workload (the view points into `bytes`); fails with Exit::Usage and the reason.
abi::Workload load_workload(const std::string& path, const std::vector<uint8_t>& bytes);

} // namespace ferros::tools
