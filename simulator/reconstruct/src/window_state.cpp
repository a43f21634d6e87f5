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
    PendingWrite write;
    write.boundary = boundary;
    write.offset = offset;
    write.size = static_cast<uint8_t>(bytes.size());
    memcpy(write.bytes, bytes.data(), bytes.size());
    m_pending.push_back(write);
}

// Copies one pending write. The common widths get constant-size copies, which compile to
// a single move instead of a call: a flush after a large write applies thousands of them.
static void apply(uint8_t* image, const PendingWrite& write)
{
    uint8_t* to = image + write.offset.value();
    switch (write.size) {
    case 8:
        memcpy(to, write.bytes, 8);
        break;
    case 4:
        memcpy(to, write.bytes, 4);
        break;
    case 16:
        memcpy(to, write.bytes, 16);
        break;
    default:
        memcpy(to, write.bytes, write.size);
    }
}

void WindowState::flush()
{
    for (const PendingWrite& write : m_pending)
        apply(m_durable.data(), write);
    m_pending.clear();
}

std::vector<uint8_t> WindowState::volatile_image() const
{
    std::vector<uint8_t> image = m_durable;
    for (const PendingWrite& write : m_pending)
        apply(image.data(), write);
    return image;
}

} // namespace ferros::reconstruct
