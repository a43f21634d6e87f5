#pragma once
// The device side of the crash model: what reads see, what is durable, and what is pending
// since the last FLUSH. The host emulated SSD and the QEMU plugin both keep one; a cut hands
// its durable image and pending writes to a StateSpace.

#include <cstdint>
#include <ferros/base/error_or.h>
#include <ferros/crash/pending_write.h>
#include <ferros/crash/state_space.h>
#include <span>
#include <vector>

namespace ferros::crash {

class DeviceModel {
public:
    explicit DeviceModel(std::vector<uint8_t> initial);

    // Records a write: reads see it at once, durability waits for flush(). OutOfRange if the
    // range does not lie inside the device.
    ErrorOr<void> write(uint64_t offset, std::span<const uint8_t> bytes);
    // FLUSH: every pending write becomes durable.
    void flush();
    // A write that is durable at once (a device without a write cache, as under `strict`),
    // without recording it: for benchmarks that need a fast device. OutOfRange as write();
    // InvalidArgument while writes are pending (it would overtake them).
    ErrorOr<void> write_through(uint64_t offset, std::span<const uint8_t> bytes);

    std::span<const uint8_t> visible() const { return m_visible; }
    std::span<const uint8_t> durable() const { return m_durable; }
    const std::vector<PendingWrite>& pending() const { return m_pending; }
    uint64_t size() const { return m_visible.size(); }

    // The states a cut now may leave. The StateSpace refers to this model's durable image:
    // do not write or flush while it is in use.
    ErrorOr<StateSpace> states(const Policy& policy, uint64_t seed) const;

private:
    std::vector<uint8_t> m_visible;
    std::vector<uint8_t> m_durable;
    std::vector<PendingWrite> m_pending;
};

} // namespace ferros::crash
