#pragma once
// The boot-stage timeline: what the kernel announced on serial (`ferros: stage NAME vt=NS`,
// docs/kernel.md) and, when the plugin ran, the boundary at which each stage's marker store
// retired. Printed by `ferros run`, kept by reports.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ferros::qemu {

struct StageEvent {
    std::string name;
    uint64_t virtual_ns { 0 };
    std::optional<uint64_t> boundary; // retired instructions, from the plugin's events
    // Wall ms from QEMU's start to the stage's line reaching the host (boot() sets it): what a
    // person waits, QEMU's own start-up included; it varies from run to run.
    std::optional<double> wall_ms;
};

class Timeline {
public:
    // Feeds one console line; returns true if it was a stage line.
    bool take_console_line(const std::string& line);
    // Stamps the wall time at which the last stage line arrived.
    void set_last_wall_ms(double ms)
    {
        if (!m_stages.empty())
            m_stages.back().wall_ms = ms;
    }
    // Attaches boundaries from the plugin's events (stage id -> boundary), in order.
    void attach_boundary(const std::string& stage_name, uint64_t boundary);
    // The boundary at which the run ended (the plugin's `end` line).
    void set_end(uint64_t boundary) { m_end = boundary; }
    std::optional<uint64_t> end() const { return m_end; }

    const std::vector<StageEvent>& stages() const { return m_stages; }
    const StageEvent* find(const std::string& name) const;
    bool reached(const std::string& name) const { return find(name) != nullptr; }
    // A table with one row per stage and the distance from kernel-entry.
    std::string render() const;

private:
    std::vector<StageEvent> m_stages;
    std::optional<uint64_t> m_end;
};

} // namespace ferros::qemu
