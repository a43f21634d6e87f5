#pragma once
// Physical pages for processes: page tables, program images, stacks. The pool is a static
// array in the kernel image's .bss, so it needs no memory map and the ELF loader hands it over
// zeroed. Every free page is zero (a freed page is cleared before it is reused), so allocation
// is O(1) and a process never sees another's old data.

#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>
#include <stddef.h>
#include <stdint.h>

namespace ferros::kernel {

constexpr uint64_t kPageSize = 4096;
constexpr size_t kPoolPages = 1024; // 4 MiB: a few programs with 64 KiB buffers each

// A zeroed page; NoMemory when the pool is exhausted.
ErrorOr<PhysicalAddress> allocate_page();
// Clears `page` and returns it to the pool.
void free_page(PhysicalAddress page);
size_t free_page_count();

// The kernel reaches every physical page through the identity map.
inline uint8_t* page_pointer(PhysicalAddress page) { return reinterpret_cast<uint8_t*>(page.value()); }

} // namespace ferros::kernel
