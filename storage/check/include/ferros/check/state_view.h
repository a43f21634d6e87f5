#pragma once
// A crash state as the checker reads it: the durable image and the few byte ranges the state
// writes over it (crash::StateSpace::changes), never a copy of the whole device. Checking a
// state then costs what the check reads, not what the device holds.

#include <cstdint>
#include <ferros/crash/state_space.h>
#include <ferros/ring/ssd.h>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace ferros::check {

struct StateView {
    std::span<const uint8_t> durable;
    // crash::image_hash(durable), or nothing when the caller does not know it: the key under
    // which facts verified on this durable image are kept for other states over it.
    std::optional<uint64_t> durable_hash;
    // Applied in order over `durable` (a later change wins where two overlap).
    std::vector<crash::StateSpace::Change> changes;
};

// The SSD seam over a StateView: reads see the durable image with the changes applied;
// writes (a mount writes its epoch anchor) go to private copies of the pages they touch, so
// the durable image is never written. Pages are kPage bytes.
class ViewSsd final : public ring::Ssd {
public:
    // Small pages: a state changes a few cache units and the mount one anchor slot, and each
    // page a change touches is copied once per state.
    static constexpr uint64_t kPage = 512;

    explicit ViewSsd(const StateView& view);

    uint64_t size() const override { return m_durable.size(); }
    ErrorOr<void> read(DeviceOffset offset, Bytes out) override;
    ErrorOr<void> write(DeviceOffset offset, ReadonlyBytes data) override;
    ErrorOr<void> flush() override { return {}; }

    // The byte ranges [start, end) where the state's changes differ from the durable image
    // (in runs of 8-byte words), and those the writes so far covered: every byte outside them
    // is the durable image's. Sorted, disjoint, merged.
    const std::vector<std::pair<uint64_t, uint64_t>>& changed() const { return m_changed; }
    // Whether any byte of [offset, offset + length) lies in a changed range.
    bool touched(uint64_t offset, uint64_t length) const;
    std::span<const uint8_t> durable() const { return m_durable; }

private:
    // The private copy of `page`, made from the durable image on first use.
    uint8_t* own(uint64_t page);
    const uint8_t* find(uint64_t page) const;
    void note_changed(uint64_t start, uint64_t end);
    void apply_change(uint64_t offset, std::span<const uint8_t> bytes);
    void copy_in(uint64_t offset, std::span<const uint8_t> bytes);

    std::span<const uint8_t> m_durable;
    static constexpr size_t kReservedPages = 8;
    // Sorted by page: few pages a state (its pending units and the mount's anchor). The copy
    // of m_pages[i] is m_copies[m_slots[i] * kPage ..], in the order the pages were first used.
    std::vector<uint64_t> m_pages;
    std::vector<size_t> m_slots;
    std::vector<uint8_t> m_copies;
    std::vector<std::pair<uint64_t, uint64_t>> m_changed;
};

} // namespace ferros::check
