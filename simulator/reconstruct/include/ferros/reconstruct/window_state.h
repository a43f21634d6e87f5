#pragma once
// The SSD window as the device model sees it at one boundary (DESIGN.md section 4):
// Durable, the image at power-on plus every write a FLUSH has made durable, and Pending, the
// writes since the last FLUSH in the order the guest made them. The plugin keeps one live as
// the guest runs; reconstruction keeps one as it replays a trace. Both feed the same crash
// model, which is why a real cut and a reconstruction leave the same bytes.

#include <cstdint>
#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <ferros/crash/pending_write.h>
#include <ferros/crash/state_space.h>
#include <optional>
#include <vector>

namespace ferros::reconstruct {

class WindowState {
public:
    // `initial` is the image the window held at power-on; its size is the window's size.
    explicit WindowState(std::vector<uint8_t> initial);

    uint64_t size() const { return m_durable.size(); }
    // Records a store of `bytes` (1..16) at `offset`. The caller has clipped it to the window.
    void store(Boundary boundary, DeviceOffset offset, ReadonlyBytes bytes);
    // A FLUSH: every pending write becomes durable, in order.
    void flush();

    ReadonlyBytes durable() const { return ReadonlyBytes(m_durable.data(), m_durable.size()); }
    // crash::image_hash(durable()): hashed whole on first use, then kept up to date by each
    // flush from the words it changes, so that a walk over every boundary hashes the device
    // once rather than once per boundary class.
    uint64_t durable_hash() const;
    // Unit hash deltas over the current durable image, for the crash states of its cuts
    // (cleared at each flush).
    crash::UnitDeltaCache& unit_deltas() const { return m_unit_deltas; }
    const std::vector<crash::PendingWrite>& pending() const { return m_pending; }
    // Durable with every pending write applied: what the guest itself reads back.
    std::vector<uint8_t> volatile_image() const;

private:
    std::vector<uint8_t> m_durable;
    std::vector<crash::PendingWrite> m_pending;
    mutable std::optional<uint64_t> m_durable_hash;
    mutable crash::UnitDeltaCache m_unit_deltas;
};

} // namespace ferros::reconstruct
