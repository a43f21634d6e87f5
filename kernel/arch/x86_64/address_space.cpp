// kernel/memory/address_space.h for x86_64: 4-level paging with 4 KiB user pages. Top-level
// slot 0 (the first 512 GiB) is the kernel's identity map from boot.S, shared by every tree
// and without the user bit; slots 1..255 are the user half (abi::kUserBase lies in slot 1).

#include "memory/address_space.h"
#include "memory/page_pool.h"
#include <ferros/abi/syscall.h>

extern "C" uint64_t boot_pml4[512];

namespace ferros::kernel {

namespace {

    constexpr uint64_t kPresent = 1ull << 0;
    constexpr uint64_t kWritable = 1ull << 1;
    constexpr uint64_t kUser = 1ull << 2;
    constexpr uint64_t kOwned = 1ull << 9; // available to software: free the page on release
    constexpr uint64_t kNoExecute = 1ull << 63;
    constexpr uint64_t kAddressMask = 0x000f'ffff'ffff'f000ull;
    constexpr unsigned kFirstUserSlot = 1;
    constexpr unsigned kLastUserSlot = 255;

    uint64_t* table(uint64_t entry) { return reinterpret_cast<uint64_t*>(entry & kAddressMask); }
    unsigned index(uint64_t address, unsigned level) { return (address >> (12 + 9 * level)) & 511; }

    bool in_user_half(uint64_t address) { return address >= abi::kUserBase && address < abi::kUserEnd; }

    // The leaf entry for `address`, or nullptr if a table on the way is missing. With
    // `create`, missing tables are allocated (user-accessible and writable: the leaf decides).
    ErrorOr<uint64_t*> leaf(uint64_t root, uint64_t address, bool create)
    {
        uint64_t* current = reinterpret_cast<uint64_t*>(root);
        for (unsigned level = 3; level > 0; --level) {
            uint64_t& entry = current[index(address, level)];
            if ((entry & kPresent) == 0) {
                if (!create)
                    return nullptr;
                PhysicalAddress page = TRY(allocate_page());
                entry = page.value() | kPresent | kWritable | kUser;
            }
            current = table(entry);
        }
        return &current[index(address, 0)];
    }

    void release_table(uint64_t entry, unsigned level)
    {
        uint64_t* entries = table(entry);
        for (unsigned i = 0; i < 512; ++i) {
            uint64_t const child = entries[i];
            if ((child & kPresent) == 0)
                continue;
            if (level > 1)
                release_table(child, level - 1);
            else if (child & kOwned)
                free_page(PhysicalAddress(child & kAddressMask));
        }
        free_page(PhysicalAddress(entry & kAddressMask));
    }

} // namespace

ErrorOr<AddressSpace> AddressSpace::try_create()
{
    PhysicalAddress root = TRY(allocate_page());
    // The kernel half: the same lower-level tables in every tree, so the kernel's mappings are
    // set up once and never copied again.
    reinterpret_cast<uint64_t*>(root.value())[0] = boot_pml4[0];
    return AddressSpace(root);
}

ErrorOr<void> AddressSpace::map(uint64_t address, PhysicalAddress page, PageAccess access, PageOwnership ownership)
{
    if (!in_user_half(address) || address % kPageSize != 0 || page.value() % kPageSize != 0)
        return Error(ErrorCode::InvalidArgument, "a user page outside the user half or misaligned");
    uint64_t* entry = TRY(leaf(m_root.value(), address, true));
    if (*entry & kPresent)
        return Error(ErrorCode::InvalidArgument, "a user page is mapped twice");
    uint64_t flags = kPresent | kUser;
    if (access == PageAccess::ReadWrite)
        flags |= kWritable;
    if (access != PageAccess::ReadExecute)
        flags |= kNoExecute;
    if (ownership == PageOwnership::Owned)
        flags |= kOwned;
    *entry = page.value() | flags;
    return {};
}

ErrorOr<PhysicalAddress> AddressSpace::map_new(uint64_t address, PageAccess access)
{
    PhysicalAddress page = TRY(allocate_page());
    if (auto mapped = map(address, page, access, PageOwnership::Owned); mapped.is_error()) {
        free_page(page);
        return mapped.release_error();
    }
    return page;
}

ErrorOr<void> AddressSpace::map_new_range(uint64_t address, uint64_t count, PageAccess access)
{
    if (count == 0)
        return {};
    // The count is bounded first, so that `last` cannot wrap.
    if (count > (abi::kUserEnd - abi::kUserBase) / kPageSize || !in_user_half(address) || address % kPageSize != 0)
        return Error(ErrorCode::InvalidArgument, "a user page outside the user half or misaligned");
    uint64_t const last = address + (count - 1) * kPageSize;
    if (!in_user_half(last))
        return Error(ErrorCode::InvalidArgument, "a user page outside the user half or misaligned");
    uint64_t flags = kPresent | kUser | kOwned;
    if (access == PageAccess::ReadWrite)
        flags |= kWritable;
    if (access != PageAccess::ReadExecute)
        flags |= kNoExecute;
    uint64_t page = address;
    while (page <= last) {
        // One leaf table holds the entries of 512 pages: walk to it once, fill what lies in it.
        uint64_t* entries = TRY(leaf(m_root.value(), page, true)) - index(page, 0);
        for (unsigned i = index(page, 0); i < 512 && page <= last; ++i, page += kPageSize) {
            if (entries[i] & kPresent)
                return Error(ErrorCode::InvalidArgument, "a user page is mapped twice");
            entries[i] = TRY(allocate_page()).value() | flags;
        }
    }
    return {};
}

bool AddressSpace::allows(uint64_t address, uint64_t length, UserAccess access) const
{
    if (length == 0)
        return true;
    uint64_t const last = address + (length - 1);
    if (last < address || !in_user_half(address) || !in_user_half(last))
        return false;
    uint64_t const required = kPresent | kUser | (access == UserAccess::Write ? kWritable : 0);
    for (uint64_t page = address & ~(kPageSize - 1); page <= last; page += kPageSize) {
        auto entry = leaf(m_root.value(), page, false);
        if (entry.is_error() || entry.value() == nullptr || (*entry.value() & required) != required)
            return false;
    }
    return true;
}

ErrorOr<PhysicalAddress> AddressSpace::translate(uint64_t address, UserAccess access) const
{
    if (!in_user_half(address))
        return Error(ErrorCode::BadAddress, "outside the user half");
    uint64_t const required = kPresent | kUser | (access == UserAccess::Write ? kWritable : 0);
    uint64_t const* entry = TRY(leaf(m_root.value(), address & ~(kPageSize - 1), false));
    if (entry == nullptr || (*entry & required) != required)
        return Error(ErrorCode::BadAddress, "not mapped for that access");
    return PhysicalAddress((*entry & kAddressMask) | (address & (kPageSize - 1)));
}

void AddressSpace::release()
{
    uint64_t* top = reinterpret_cast<uint64_t*>(m_root.value());
    for (unsigned slot = kFirstUserSlot; slot <= kLastUserSlot; ++slot) {
        if (top[slot] & kPresent)
            release_table(top[slot], 3);
    }
    top[0] = 0; // free_page expects to clear only what the process used; the kernel slot too
    free_page(m_root);
    m_root = PhysicalAddress(0);
}

} // namespace ferros::kernel
