#pragma once

namespace ferros::kernel::arch {

// Detects and enables NX, SMEP, SMAP and global pages, and sets up the `syscall` MSRs. Called
// once by init_cpu().
void init_user_mode();

} // namespace ferros::kernel::arch
