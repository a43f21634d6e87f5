#pragma once
// Whole-file reads with errors that name the file, crash-safe writes, and workload loading.

#include <cstdint>
#include <ferros/abi/workload.h>
#include <ferros/base/failure.h>
#include <string>
#include <vector>

namespace ferros::qemu {

// Reads a whole file. Errors: NotFound (missing, or not a regular file), Io (unreadable);
// the message names `what` and the path.
Result<std::vector<uint8_t>> read_file(const std::string& path, const std::string& what);

// Writes via a temporary file, fsync and rename, so a crash leaves the old file or the new.
// Errors: InvalidArgument (the path cannot be written), with the system's reason.
Result<void> write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes);

// Parses a workload (the view points into `bytes`). Errors: BadFormat with the reason.
Result<abi::Workload> load_workload(const std::string& path, const std::vector<uint8_t>& bytes);

} // namespace ferros::qemu
