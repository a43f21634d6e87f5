#pragma once
// Loads a program's ELF64 image into an address space. The image comes from the boot bundle,
// i.e. from outside the kernel: every header field is checked before a page is mapped
// (validate, then act), and a program can only ever map its segments inside the image window
// of the user half (abi::kUserImageBase..kUserImageEnd), never writable and executable at once.

#include "memory/address_space.h"
#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>

namespace ferros::kernel {

// Returns the entry point. Errors: BadFormat (not a static x86_64 ELF64 executable, a segment
// outside the window or the file, writable and executable, an entry outside executable
// code), TooBig (more than 16 program headers), NoMemory.
ErrorOr<uint64_t> load_elf(ReadonlyBytes image, AddressSpace& space);

} // namespace ferros::kernel
