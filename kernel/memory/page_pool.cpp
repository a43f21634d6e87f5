#include "memory/page_pool.h"
#include <ferros/base/verify.h>

namespace ferros::kernel {

namespace {

    alignas(kPageSize) uint8_t s_pool[kPoolPages * kPageSize];
    // Pages never handed out are above s_next; freed ones are on a stack of indices.
    size_t s_next = 0;
    uint16_t s_free[kPoolPages];
    size_t s_free_count = 0;

    uint64_t pool_base() { return reinterpret_cast<uint64_t>(s_pool); }

} // namespace

ErrorOr<PhysicalAddress> allocate_page()
{
    if (s_free_count > 0)
        return PhysicalAddress(pool_base() + s_free[--s_free_count] * kPageSize);
    if (s_next == kPoolPages)
        return Error(ErrorCode::NoMemory, "the page pool is exhausted");
    return PhysicalAddress(pool_base() + s_next++ * kPageSize);
}

void free_page(PhysicalAddress page)
{
    uint64_t const offset = page.value() - pool_base();
    VERIFY(page.value() >= pool_base() && offset < s_next * kPageSize && offset % kPageSize == 0);
    __builtin_memset(page_pointer(page), 0, kPageSize);
    s_free[s_free_count++] = static_cast<uint16_t>(offset / kPageSize);
}

size_t free_page_count() { return kPoolPages - s_next + s_free_count; }

} // namespace ferros::kernel
