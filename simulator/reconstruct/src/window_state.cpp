#include <cstring>
#include <ferros/base/verify.h>
#include <ferros/reconstruct/window_state.h>

namespace ferros::reconstruct {

WindowState::WindowState(std::vector<uint8_t> initial)
    : m_durable(std::move(initial))
{
}

void WindowState::store(Boundary boundary, DeviceOffset offset, ReadonlyBytes bytes)
{
    VERIFY(bytes.size() >= 1 && bytes.size() <= sizeof(PendingWrite::bytes));
    VERIFY(offset.value() + bytes.size() <= m_durable.size());
    PendingWrite& write = m_pending.emplace_back();
    write.boundary = boundary;
    write.offset = offset;
    write.size = static_cast<uint8_t>(bytes.size());
    memcpy(write.bytes, bytes.data(), bytes.size());
}

void WindowState::flush()
{
    for (const PendingWrite& write : m_pending)
        memcpy(m_durable.data() + write.offset.value(), write.bytes, write.size);
    m_pending.clear();
}

std::vector<uint8_t> WindowState::volatile_image() const
{
    std::vector<uint8_t> image = m_durable;
    for (const PendingWrite& write : m_pending)
        memcpy(image.data() + write.offset.value(), write.bytes, write.size);
    return image;
}

} // namespace ferros::reconstruct
