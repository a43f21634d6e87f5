#pragma once
// The boot module as programs (docs/kernel.md, the boot bundle): either a bundle (magic FRBN)
// or a bare workload (magic FRWL), which the kernel pairs with its built-in bundle. Decoded
// after `ready` (the path to ready must not grow with the module's size, R9), all of it
// checked before the first program starts.

#include <ferros/abi/bundle.h>
#include <ferros/abi/workload.h>
#include <ferros/base/error_or.h>

namespace ferros::kernel {

struct BootPrograms {
    abi::Bundle bundle;
    abi::Workload workload; // empty if the bundle carries none
};

// Errors: the bundle's or the workload's decoding errors.
ErrorOr<BootPrograms> decode_boot_module(ReadonlyBytes module);

// Creates the boot endpoints and starts every program marked start-at-boot. Errors: NoMemory,
// BadFormat (a program image the ELF loader refuses).
ErrorOr<void> start_boot_programs(const BootPrograms& programs);

} // namespace ferros::kernel
