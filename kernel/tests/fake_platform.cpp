// The one piece of kernel/arch/platform.h that the host-tested files use.
#include "arch/platform.h"

namespace ferros::kernel::arch {

uint64_t identity_mapped_end() { return 4ull << 30; }

} // namespace ferros::kernel::arch
