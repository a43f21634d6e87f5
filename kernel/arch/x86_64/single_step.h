#pragma once

#include "arch/x86_64/trap_frame.h"

namespace ferros::kernel::x86_64 {

// A #DB from user mode: if it is the injection target's single step, counts it (and injects at
// the N-th) and returns true; the trap then returns to user mode. False: an ordinary #DB.
bool handle_user_single_step(TrapFrame& frame);

} // namespace ferros::kernel::x86_64
