#include <cstring>
#include <ferros/base/verify.h>
#include <ferros/crash/content_hash.h>
#include <ferros/reconstruct/window_state.h>

namespace ferros::reconstruct {

WindowState::WindowState(std::vector<uint8_t> initial)
    : m_durable(std::move(initial))
{
}

void WindowState::store(Boundary boundary, DeviceOffset offset, ReadonlyBytes bytes)
{
    VERIFY(bytes.size() >= 1 && bytes.size() <= 16);
    VERIFY(offset.value() + bytes.size() <= m_durable.size());
    m_pending.push_back(crash::PendingWrite { offset, std::vector<uint8_t>(bytes.begin(), bytes.end()), boundary });
}

// Copies one pending write. The common widths get constant-size copies, which compile to
// a single move instead of a call: a flush after a large write applies thousands of them.
static void apply(uint8_t* image, const crash::PendingWrite& write)
{
    uint8_t* to = image + write.offset.value();
    uint8_t const* from = write.bytes.data();
    switch (write.bytes.size()) {
    case 8:
        memcpy(to, from, 8);
        break;
    case 4:
        memcpy(to, from, 4);
        break;
    case 16:
        memcpy(to, from, 16);
        break;
    default:
        memcpy(to, from, write.bytes.size());
    }
}

uint64_t WindowState::durable_hash() const
{
    if (!m_durable_hash)
        m_durable_hash = crash::image_hash(std::span<const uint8_t>(m_durable));
    return *m_durable_hash;
}

void WindowState::flush()
{
    m_unit_deltas.clear();
    for (const crash::PendingWrite& write : m_pending) {
        if (!m_durable_hash) {
            apply(m_durable.data(), write);
            continue;
        }
        // The hash is a sum over words: take out the words this write touches, write, and
        // add them back with their new content (in program order, so overlaps hash right).
        uint64_t const first = write.offset.value() & ~7ULL;
        uint64_t const end = write.offset.value() + write.bytes.size();
        for (uint64_t word = first; word < end; word += 8)
            *m_durable_hash -= crash::word_mix(word, crash::image_word(std::span<const uint8_t>(m_durable), word));
        apply(m_durable.data(), write);
        for (uint64_t word = first; word < end; word += 8)
            *m_durable_hash += crash::word_mix(word, crash::image_word(std::span<const uint8_t>(m_durable), word));
    }
    m_pending.clear();
}

std::vector<uint8_t> WindowState::volatile_image() const
{
    std::vector<uint8_t> image = m_durable;
    for (const crash::PendingWrite& write : m_pending)
        apply(image.data(), write);
    return image;
}

} // namespace ferros::reconstruct
