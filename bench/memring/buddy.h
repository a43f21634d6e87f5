#pragma once
// A binary buddy allocator over one arena, the conventional kernel page/heap allocator the
// memory ring is compared with. Blocks are powers of two from 32 bytes; free lists are kept in
// address order and allocation takes the lowest free block, so live data packs towards the
// arena's start and `held()` (the end of the highest block in use) is what it needs.
// Host-only benchmark code: it uses the hosted library freely.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <vector>

namespace ferros::bench {

class BuddyAllocator {
public:
    static constexpr unsigned kMinOrder = 5; // 32-byte blocks: 16-byte alignment with room to spare

    explicit BuddyAllocator(unsigned max_order)
        : m_max_order(max_order)
        , m_arena(static_cast<uint8_t*>(std::aligned_alloc(4096, uint64_t(1) << max_order)))
        , m_free(max_order + 1)
        , m_order_of((uint64_t(1) << max_order) >> kMinOrder)
    {
        m_free[max_order].insert(0);
    }
    ~BuddyAllocator() { std::free(m_arena); }
    BuddyAllocator(const BuddyAllocator&) = delete;
    BuddyAllocator& operator=(const BuddyAllocator&) = delete;

    // The block's offset, or UINT64_MAX when no block is free.
    uint64_t allocate(uint64_t size)
    {
        unsigned order = kMinOrder;
        while ((uint64_t(1) << order) < size)
            ++order;
        unsigned from = order;
        while (from <= m_max_order && m_free[from].empty())
            ++from;
        if (from > m_max_order)
            return UINT64_MAX;
        uint64_t const offset = *m_free[from].begin();
        m_free[from].erase(m_free[from].begin());
        // Split down; the upper halves go back to the free lists.
        while (from > order) {
            --from;
            m_free[from].insert(offset + (uint64_t(1) << from));
        }
        m_order_of[offset >> kMinOrder] = static_cast<uint8_t>(order);
        m_in_use.insert(offset);
        m_block_bytes += uint64_t(1) << order;
        return offset;
    }

    void free(uint64_t offset)
    {
        unsigned order = m_order_of[offset >> kMinOrder];
        m_in_use.erase(offset);
        m_block_bytes -= uint64_t(1) << order;
        while (order < m_max_order) {
            uint64_t const buddy = offset ^ (uint64_t(1) << order);
            auto it = m_free[order].find(buddy);
            if (it == m_free[order].end())
                break;
            m_free[order].erase(it);
            offset = offset < buddy ? offset : buddy;
            ++order;
        }
        m_free[order].insert(offset);
    }

    uint8_t* at(uint64_t offset) { return m_arena + offset; }
    // The bytes it needs: up to the end of the highest block in use.
    uint64_t held() const
    {
        if (m_in_use.empty())
            return 0;
        uint64_t const last = *m_in_use.rbegin();
        return last + (uint64_t(1) << m_order_of[last >> kMinOrder]);
    }
    // The bytes of the blocks in use (live data and its rounding up to a power of two).
    uint64_t block_bytes() const { return m_block_bytes; }

private:
    unsigned m_max_order;
    uint8_t* m_arena;
    std::vector<std::set<uint64_t>> m_free;
    std::vector<uint8_t> m_order_of;
    std::set<uint64_t> m_in_use;
    uint64_t m_block_bytes { 0 };
};

} // namespace ferros::bench
