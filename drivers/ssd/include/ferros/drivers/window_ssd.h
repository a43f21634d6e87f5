#pragma once
// The bare-metal SSD (DESIGN.md section 3): a window [base, base + size) of identity-mapped
// guest-physical memory that QEMU's loader filled with the device image at power-on, and a
// doorbell on the control page. The plugin is the device: a store into the window lands in
// its volatile write cache; a store to abi::kControlFlush makes every earlier one durable.

#include <ferros/base/strong.h>
#include <ferros/ring/ssd.h>
#include <stdint.h>

namespace ferros::drivers {

class WindowSsd final : public ring::Ssd {
public:
    // The window must be identity-mapped and reserved for the SSD alone (the kernel's memory
    // map checks both before the driver is made).
    constexpr WindowSsd(PhysicalAddress base, uint64_t size)
        : m_base(base)
        , m_size(size)
    {
    }

    uint64_t size() const override { return m_size; }
    // Errors: OutOfRange.
    ErrorOr<void> read(DeviceOffset offset, Bytes out) override;
    // Errors: OutOfRange.
    ErrorOr<void> write(DeviceOffset offset, ReadonlyBytes data) override;
    // Never fails: the doorbell is a store, and the device has no way to refuse it.
    ErrorOr<void> flush() override;

private:
    ErrorOr<uint8_t*> at(DeviceOffset offset, size_t length) const;

    PhysicalAddress m_base;
    uint64_t m_size;
};

} // namespace ferros::drivers
