#include <cstring>
#include <ferros/storage/host_ssd.h>

namespace ferros::storage {

HostSsd::HostSsd(uint64_t size, Tracking tracking)
    : HostSsd(std::vector<uint8_t>(size, 0), tracking)
{
}

HostSsd::HostSsd(std::vector<uint8_t> image, Tracking tracking)
    : m_model(std::move(image))
    , m_tracking(tracking)
{
}

void HostSsd::reset_counters() { m_writes = m_flushes = m_bytes_written = m_bytes_read = 0; }

ErrorOr<void> HostSsd::read(DeviceOffset offset, Bytes out)
{
    if (m_cut)
        return Error(ErrorCode::PowerCut);
    auto const visible = m_model.visible();
    if (offset.value() > visible.size() || out.size() > visible.size() - offset.value())
        return Error(ErrorCode::OutOfRange, "read outside the device");
    std::memcpy(out.data(), visible.data() + offset.value(), out.size());
    m_bytes_read += out.size();
    return {};
}

ErrorOr<void> HostSsd::write(DeviceOffset offset, ReadonlyBytes data)
{
    if (m_cut)
        return Error(ErrorCode::PowerCut);
    if (m_cut_after && (m_count_flushes ? operations() : m_writes) >= *m_cut_after) {
        m_cut = true;
        return Error(ErrorCode::PowerCut);
    }
    if (m_observer)
        m_observer(*this);
    auto const bytes = std::span<const uint8_t>(data.data(), data.size());
    if (m_tracking == Tracking::Off)
        TRY(m_model.write_through(offset.value(), bytes));
    else
        TRY(m_model.write(offset.value(), bytes));
    ++m_writes;
    m_bytes_written += data.size();
    return {};
}

ErrorOr<void> HostSsd::flush()
{
    if (m_cut)
        return Error(ErrorCode::PowerCut);
    if (m_cut_after && m_count_flushes && operations() >= *m_cut_after) {
        m_cut = true;
        return Error(ErrorCode::PowerCut);
    }
    if (m_observer)
        m_observer(*this);
    m_model.flush();
    ++m_flushes;
    return {};
}

} // namespace ferros::storage
