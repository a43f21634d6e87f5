#pragma once
// The bare-metal SSD (DESIGN.md section 3): a window of guest-physical memory that QEMU's loader
// filled with the device image at power-on, and a doorbell on the control page. The plugin is
// the device: a store into the window lands in its volatile write cache; a store to the doorbell
// (abi::kControlFlush) makes every earlier one durable. The store server (user/store) is its
// only user: the kernel maps the window at abi::kUserDevice and the control page at
// abi::kUserDoorbell into that process alone; the plugin sees the stores by physical address.

#include <ferros/ring/ssd.h>
#include <stdint.h>

namespace ferros::drivers {

class WindowSsd final : public ring::Ssd {
public:
    // `base` and `doorbell` are where the window and the FLUSH doorbell are mapped in the
    // caller's address space (the kernel checked and reserved the window for the SSD alone).
    constexpr WindowSsd(uintptr_t base, uint64_t size, uintptr_t doorbell)
        : m_base(base)
        , m_size(size)
        , m_doorbell(doorbell)
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

    uintptr_t m_base;
    uint64_t m_size;
    uintptr_t m_doorbell;
};

} // namespace ferros::drivers
