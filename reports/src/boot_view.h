#pragma once
// What the boot report shows, computed once: the HTML page and the JSON twin both read it,
// so a headline in the page and its JSON field cannot disagree by construction of two sums.

#include <ferros/reports/boot_report.h>
#include <ferros/reports/charts.h>

namespace ferros::reports::detail {

struct TimelineFigures {
    const BootRun* run { nullptr };
    std::optional<uint64_t> firmware_instructions; // power-on to kernel-entry
    std::optional<uint64_t> kernel_instructions; // kernel-entry to ready
    std::optional<uint64_t> ready_instructions; // power-on to ready
    std::optional<uint64_t> ready_virtual_ns;
    std::optional<double> ready_wall_ms;
};

struct BootView {
    TimelineFigures timeline;
    size_t runs_ready { 0 };
    Summary ready; // kernel-entry to ready, over the runs that reached it
    std::optional<double> wall_min, wall_median, wall_max;
    std::optional<TimelineChart> timeline_chart;
    std::optional<XyChart> by_store;
    std::optional<XyChart> by_cut;
    std::optional<Histogram> histogram;
};

BootView boot_view(const BootReport& report);

} // namespace ferros::reports::detail
