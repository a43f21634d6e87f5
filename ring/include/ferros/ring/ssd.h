#pragma once
// The SSD seam (DESIGN.md section 6): the store sees the device only through read, write and
// flush over a byte range, as littlefs sees flash only through struct lfs_config.
//   drivers/ssd/   WindowSsd: the bare-metal window and its FLUSH doorbell (the store server)
//   storage/host/  HostSsd: emulated crash policies and power cuts (host tests, benchmarks)

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/base/strong.h>

namespace ferros::ring {

class Ssd {
public:
    // Size of the device in bytes.
    virtual uint64_t size() const = 0;
    // Reads bytes [offset, offset + out.size()). Sees every earlier write, flushed or not.
    // Errors: OutOfRange (range outside the device), Io, PowerCut (emulated device).
    virtual ErrorOr<void> read(DeviceOffset offset, Bytes out) = 0;
    // Writes the bytes; they may be lost or partly lost by a cut until the next flush().
    // Errors: OutOfRange, Io, PowerCut.
    virtual ErrorOr<void> write(DeviceOffset offset, ReadonlyBytes data) = 0;
    // Returns once every earlier write is durable. Errors: Io, PowerCut.
    virtual ErrorOr<void> flush() = 0;

protected:
    // Never deleted through the interface: no operator delete is needed in the kernel.
    ~Ssd() = default;
};

} // namespace ferros::ring
