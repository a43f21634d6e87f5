#pragma once
// The store at boot, in a kernel that keeps no store code: the kernel makes the store endpoint
// and starts the supervisor (user/supervisor, from the built-in bundle), which starts the store
// server (user/store) with the SSD window and its doorbell mapped into it alone, and restarts it
// when it dies. The kernel runs them until the server serves. The server's start-up is the
// recovery (mount, or format a blank device, then the self-check); it passes store-mounted and
// the verdict itself. docs/kernel.md, "The store server" and "The supervisor".

#include "lib/physical_range.h"
#include <ferros/storage/seeded_bug.h>

namespace ferros::kernel {

// Returns once the server waits for its first client. If its recovery failed (it exits with
// abi::kStoreExitMountFailed or kStoreExitSelfCheckFailed, having marked the verdict; the
// supervisor does not restart it and exits with the same status), the boot ends with
// ExitValue::SelfCheckFailed; if the supervisor gave up on a server that kept dying, with Fault.
void start_store_server(PhysicalRange window, storage::SeededBug bug);

// ferros.until=live, past `ready`: R14 in the guest. The kernel starts the built-in `live`
// program, the one process whose store handle carries RightRecovery; its StoreLive call makes
// the server run the continuation after recovery (storage/live.h) and check what it left
// (kernel::check_live). Exits the machine: Ready if it passed, LiveFailed if not (the server
// marked verdict R14 and said why on the console).
[[noreturn]] void run_live_check();

} // namespace ferros::kernel
