#pragma once
// A process's protection domain: the user half of a page-table tree whose kernel half is
// shared by every process and supervisor-only (docs/kernel.md, address spaces). The interface
// is architecture-neutral; kernel/arch/x86_64/address_space.cpp implements it.

#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>
#include <stdint.h>

namespace ferros::kernel {

enum class PageAccess : uint8_t {
    ReadOnly, // data, never executable
    ReadWrite, // data, never executable
    ReadExecute, // code, never writable (W^X)
};

// Whether the address space frees the page when it is released (a program's own pages), or
// only maps it (the workload module, which the kernel owns).
enum class PageOwnership : uint8_t { Owned, Borrowed };

enum class UserAccess : uint8_t { Read, Write };

class AddressSpace {
public:
    AddressSpace() = default;
    // A new tree: an empty user half, the kernel half shared. NoMemory without a free page.
    static ErrorOr<AddressSpace> try_create();

    // Maps one page at `address` (page-aligned, inside abi::kUserBase..kUserEnd). Errors:
    // InvalidArgument (outside the user range, misaligned or already mapped), NoMemory (a page
    // table could not be allocated; what was mapped so far stays mapped and release() frees it).
    ErrorOr<void> map(uint64_t address, PhysicalAddress page, PageAccess access, PageOwnership ownership);
    // Maps a fresh zeroed page of the pool and returns it.
    ErrorOr<PhysicalAddress> map_new(uint64_t address, PageAccess access);
    // Maps `count` fresh zeroed pages from `address` on: a program's .bss and stack. One walk
    // of the tree per 512 pages instead of one per page (a walk is most of a page's cost, and
    // the store server's 165 .bss pages were a fifth of the boot's instructions). Errors as
    // map(); the pages mapped before an error stay mapped and release() frees them.
    ErrorOr<void> map_new_range(uint64_t address, uint64_t count, PageAccess access);

    // Whether user mode may access every byte of [address, address + length) as `access`:
    // the range lies in the user half without wrapping, and every page is mapped user-accessible
    // (and writable for Write). A length of 0 is allowed anywhere.
    bool allows(uint64_t address, uint64_t length, UserAccess access) const;

    // The physical address behind the user byte at `address` if user mode may access it as
    // `access`; BadAddress otherwise. The kernel reaches it through the identity map: this is
    // how it copies between a caller's lent memory and its receiver's (ipc/lent.cpp).
    ErrorOr<PhysicalAddress> translate(uint64_t address, UserAccess access) const;

    // Frees the owned pages and every page table of the user half; the tree is unusable after.
    void release();

    // The value the MMU needs to switch to this tree (CR3 on x86_64).
    uint64_t root() const { return m_root.value(); }
    bool is_valid() const { return m_root.value() != 0; }

private:
    explicit AddressSpace(PhysicalAddress root)
        : m_root(root)
    {
    }
    PhysicalAddress m_root {};
};

} // namespace ferros::kernel
