#include <algorithm>
#include <cstring>
#include <ferros/base/bytes.h>
#include <ferros/check/state_view.h>

namespace ferros::check {

ViewSsd::ViewSsd(const StateView& view)
    : m_durable(view.durable)
{
    // A state changes a few cache units and the mount writes one anchor: room for them in
    // one allocation each.
    m_pages.reserve(kReservedPages);
    m_slots.reserve(kReservedPages);
    m_copies.reserve(kReservedPages * kPage);
    m_changed.reserve(kReservedPages);
    for (auto const& change : view.changes)
        apply_change(change.offset, change.bytes);
}

void ViewSsd::copy_in(uint64_t offset, std::span<const uint8_t> bytes)
{
    uint64_t position = offset;
    uint64_t const end = offset + bytes.size();
    while (position < end) {
        uint64_t const page = position / kPage;
        uint64_t const length = std::min(end, (page + 1) * kPage) - position;
        std::memcpy(own(page) + position % kPage, bytes.data() + (position - offset), length);
        position += length;
    }
}

const uint8_t* ViewSsd::find(uint64_t page) const
{
    auto const at = std::lower_bound(m_pages.begin(), m_pages.end(), page);
    if (at == m_pages.end() || *at != page)
        return nullptr;
    return m_copies.data() + m_slots[static_cast<size_t>(at - m_pages.begin())] * kPage;
}

uint8_t* ViewSsd::own(uint64_t page)
{
    auto const at = std::lower_bound(m_pages.begin(), m_pages.end(), page);
    size_t const index = static_cast<size_t>(at - m_pages.begin());
    if (at != m_pages.end() && *at == page)
        return m_copies.data() + m_slots[index] * kPage;
    uint64_t const start = page * kPage;
    uint64_t const length = std::min<uint64_t>(kPage, m_durable.size() - start);
    size_t const slot = m_copies.size() / kPage;
    // Copied, not zeroed first: the last page may be short, and only its tail is zeroed.
    m_copies.insert(m_copies.end(), m_durable.data() + start, m_durable.data() + start + length);
    m_copies.resize((slot + 1) * kPage, 0);
    m_pages.insert(at, page);
    m_slots.insert(m_slots.begin() + static_cast<std::ptrdiff_t>(index), slot);
    return m_copies.data() + slot * kPage;
}

ErrorOr<void> ViewSsd::read(DeviceOffset offset, Bytes out)
{
    if (offset.value() > m_durable.size() || out.size() > m_durable.size() - offset.value())
        return Error(ErrorCode::OutOfRange, "read outside the device");
    uint64_t position = offset.value();
    uint64_t const end = position + out.size();
    while (position < end) {
        uint64_t const page = position / kPage;
        uint64_t const length = std::min(end, (page + 1) * kPage) - position;
        const uint8_t* copy = m_pages.empty() ? nullptr : find(page);
        const uint8_t* from = copy ? copy + position % kPage : m_durable.data() + position;
        std::memcpy(out.data() + (position - offset.value()), from, length);
        position += length;
    }
    return {};
}

ErrorOr<void> ViewSsd::write(DeviceOffset offset, ReadonlyBytes data)
{
    if (offset.value() > m_durable.size() || data.size() > m_durable.size() - offset.value())
        return Error(ErrorCode::OutOfRange, "write outside the device");
    uint64_t position = offset.value();
    uint64_t const end = position + data.size();
    note_changed(position, end);
    while (position < end) {
        uint64_t const page = position / kPage;
        uint64_t const length = std::min(end, (page + 1) * kPage) - position;
        std::memcpy(own(page) + position % kPage, data.data() + (position - offset.value()), length);
        position += length;
    }
    return {};
}

void ViewSsd::apply_change(uint64_t offset, std::span<const uint8_t> bytes)
{
    // A cache unit's change holds the unit's whole final content, mostly the durable bytes
    // again: only runs of 8-byte words that differ from the durable image are written and
    // count as changed, so that facts verified on the durable image stay usable up to the
    // first byte a state really changes. A change over bytes an earlier change already
    // changed (prefix and strict writes may overlap) is copied whole: it must undo them.
    if (touched(offset, bytes.size())) {
        note_changed(offset, offset + bytes.size());
        copy_in(offset, bytes);
        return;
    }
    uint64_t run_start = 0;
    bool in_run = false;
    auto close = [&](uint64_t at) {
        note_changed(offset + run_start, offset + at);
        copy_in(offset + run_start, bytes.subspan(run_start, at - run_start));
        in_run = false;
    };
    for (uint64_t at = 0; at < bytes.size(); at += 8) {
        uint64_t const length = std::min<uint64_t>(8, bytes.size() - at);
        // Whole words as one load each (a call to memcmp a word cost more than the compare).
        bool const differs = length == 8 ? load_le64(bytes.data() + at) != load_le64(m_durable.data() + offset + at)
                                         : std::memcmp(bytes.data() + at, m_durable.data() + offset + at, length) != 0;
        if (differs && !in_run) {
            run_start = at;
            in_run = true;
        } else if (!differs && in_run) {
            close(at);
        }
    }
    if (in_run)
        close(bytes.size());
}

bool ViewSsd::touched(uint64_t offset, uint64_t length) const
{
    // The first changed range that ends after `offset`.
    auto at = std::upper_bound(m_changed.begin(), m_changed.end(), offset,
        [](uint64_t value, const std::pair<uint64_t, uint64_t>& range) { return value < range.second; });
    return length > 0 && at != m_changed.end() && at->first < offset + length;
}

void ViewSsd::note_changed(uint64_t start, uint64_t end)
{
    if (start == end)
        return;
    // Insert, then merge with the neighbours it overlaps or touches: few ranges a state.
    auto at = std::lower_bound(m_changed.begin(), m_changed.end(), std::make_pair(start, end));
    at = m_changed.insert(at, { start, end });
    if (at != m_changed.begin() && std::prev(at)->second >= at->first) {
        std::prev(at)->second = std::max(std::prev(at)->second, at->second);
        at = std::prev(m_changed.erase(at));
    }
    while (std::next(at) != m_changed.end() && std::next(at)->first <= at->second) {
        at->second = std::max(at->second, std::next(at)->second);
        m_changed.erase(std::next(at));
    }
}

} // namespace ferros::check
