#include <cstring>
#include <ferros/crash/device_model.h>

namespace ferros::crash {

DeviceModel::DeviceModel(std::vector<uint8_t> initial)
    : m_visible(initial)
    , m_durable(std::move(initial))
{
}

ErrorOr<void> DeviceModel::write(uint64_t offset, std::span<const uint8_t> bytes)
{
    if (offset > m_visible.size() || bytes.size() > m_visible.size() - offset)
        return Error(ErrorCode::OutOfRange, "write outside the device");
    if (bytes.empty())
        return {};
    std::memcpy(m_visible.data() + offset, bytes.data(), bytes.size());
    m_pending.push_back(
        PendingWrite { DeviceOffset(offset), std::vector<uint8_t>(bytes.begin(), bytes.end()), Boundary(0) });
    return {};
}

void DeviceModel::flush()
{
    // Every pending write is already in m_visible, in program order: durable becomes visible.
    for (auto const& write : m_pending)
        std::memcpy(m_durable.data() + write.offset.value(), write.bytes.data(), write.bytes.size());
    m_pending.clear();
}

ErrorOr<void> DeviceModel::write_through(uint64_t offset, std::span<const uint8_t> bytes)
{
    if (offset > m_visible.size() || bytes.size() > m_visible.size() - offset)
        return Error(ErrorCode::OutOfRange, "write outside the device");
    if (!m_pending.empty())
        return Error(ErrorCode::InvalidArgument, "write_through while writes are pending");
    std::memcpy(m_visible.data() + offset, bytes.data(), bytes.size());
    std::memcpy(m_durable.data() + offset, bytes.data(), bytes.size());
    return {};
}

ErrorOr<StateSpace> DeviceModel::states(const Policy& policy, uint64_t seed) const
{
    return StateSpace::create(policy, m_durable, m_pending, seed);
}

} // namespace ferros::crash
