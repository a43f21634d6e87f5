#pragma once
// The ring store at boot: the SSD window's driver, the store's memory, mount (formatting a
// blank device first) and the self-check, each with its console line and marker
// (docs/kernel.md). Failures end the boot with ExitValue::SelfCheckFailed and a Verdict marker
// naming the invariant: 1 (R1 Mountable) or 2 (R2 Intact).

#include "lib/physical_range.h"
#include <ferros/base/bytes.h>
#include <ferros/storage/options.h>
#include <ferros/storage/store.h>

namespace ferros::kernel {

// Mounts the store on `window` (reserved, identity-mapped) and passes store-mounted; formats
// a blank device first. `scratch` (any size) is for reading the device when a mount fails.
storage::Store& mount_store(PhysicalRange window, storage::StoreOptions options, Bytes scratch);

// Runs the self-check and stores its verdict; returns only if it passed.
void check_store(storage::Store& store, Bytes scratch);

} // namespace ferros::kernel
