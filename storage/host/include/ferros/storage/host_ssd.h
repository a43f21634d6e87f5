#pragma once
// The host emulated SSD: the SSD seam over a ferros::crash::DeviceModel. It keeps what reads
// see, what is durable and what is pending since the last flush, so a test can take the
// state space of a cut under any crash policy (docs/crash-model.md); and it can cut power
// after the n-th write, after which every operation fails with PowerCut.

#include <ferros/crash/device_model.h>
#include <ferros/ring/ssd.h>
#include <functional>
#include <optional>
#include <vector>

namespace ferros::storage {

class HostSsd final : public ring::Ssd {
public:
    // Tracking keeps pending writes for crash states; benchmarks that only need a fast
    // device turn it off (every write is then durable at once, as under `strict`).
    enum class Tracking { On, Off };

    explicit HostSsd(uint64_t size, Tracking tracking = Tracking::On);
    explicit HostSsd(std::vector<uint8_t> image, Tracking tracking = Tracking::On);
    ~HostSsd() = default;

    uint64_t size() const override { return m_model.size(); }
    ErrorOr<void> read(DeviceOffset offset, Bytes out) override;
    ErrorOr<void> write(DeviceOffset offset, ReadonlyBytes data) override;
    ErrorOr<void> flush() override;

    // Writes 0..n-1 succeed; write n and every operation after it fail with PowerCut.
    void cut_after_writes(uint64_t n)
    {
        m_cut_after = n;
        m_count_flushes = false;
    }
    // Operations (writes and flushes, counted together) 0..n-1 succeed; operation n and all
    // after it fail with PowerCut. A cut at a flush leaves every write since the previous
    // flush pending: the largest crash state space, which a cut at a write never reaches.
    void cut_after_operations(uint64_t n)
    {
        m_cut_after = n;
        m_count_flushes = true;
    }
    void disarm() { m_cut_after.reset(); }
    // Called before every write and flush, with the device as a cut at that moment would
    // find it: one run of a workload then visits every cut point (the explorer's fast path).
    using Observer = std::function<void(const HostSsd&)>;
    void observe(Observer observer) { m_observer = std::move(observer); }
    // Writes and flushes so far (what cut_after_operations counts).
    uint64_t operations() const { return m_writes + m_flushes; }
    bool power_cut() const { return m_cut; }

    const crash::DeviceModel& model() const { return m_model; }
    // The states a cut now may leave (do not use the device while the space is in use).
    ErrorOr<crash::StateSpace> states(const crash::Policy& policy, uint64_t seed) const
    {
        return m_model.states(policy, seed);
    }

    uint64_t writes() const { return m_writes; }
    uint64_t flushes() const { return m_flushes; }
    uint64_t bytes_written() const { return m_bytes_written; }
    uint64_t bytes_read() const { return m_bytes_read; }
    void reset_counters();

private:
    crash::DeviceModel m_model;
    Tracking m_tracking;
    std::optional<uint64_t> m_cut_after;
    Observer m_observer;
    bool m_count_flushes { false };
    bool m_cut { false };
    uint64_t m_writes { 0 };
    uint64_t m_flushes { 0 };
    uint64_t m_bytes_written { 0 };
    uint64_t m_bytes_read { 0 };
};

} // namespace ferros::storage
