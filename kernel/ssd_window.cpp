#include "ssd_window.h"
#include "arch/platform.h"
#include <ferros/abi/machine.h>

namespace ferros::kernel {

ErrorOr<PhysicalRange> reserve_ssd_window(const SsdRequest& request, MemoryMap& memory_map)
{
    if (request.base % abi::kPageSize != 0 || request.size % abi::kPageSize != 0)
        return Error(ErrorCode::InvalidArgument, "BASE and SIZE must be 4 KiB-aligned");
    if (!PhysicalRange::is_valid(request.base, request.size))
        return Error(ErrorCode::InvalidArgument, "the window is empty or wraps around");
    if (request.base < abi::kSsdMinBase)
        return Error(ErrorCode::OutOfRange, "the window starts below 16 MiB");
    PhysicalRange window(PhysicalAddress(request.base), request.size);
    if (window.end() > arch::identity_mapped_end())
        return Error(ErrorCode::OutOfRange, "the window ends beyond the identity-mapped memory");
    TRY(memory_map.reserve(window, Owner::SsdWindow));
    return window;
}

} // namespace ferros::kernel
