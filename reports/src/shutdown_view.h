#pragma once
// What the shutdown report shows, computed once for the page and the JSON twin.

#include <ferros/reports/charts.h>
#include <ferros/reports/shutdown_report.h>
#include <optional>

namespace ferros::reports::detail {

struct ShutdownView {
    uint64_t boundaries_covered { 0 };
    uint64_t boundaries_no_acknowledged_loss { 0 };
    uint64_t boundaries_all_held { 0 };
    double percent_no_acknowledged_loss { 0 };
    uint64_t states { 0 };
    Summary transactions, operations, bytes, instructions; // per boundary
    uint64_t reboots_ready { 0 };
    uint64_t reboots_agree { 0 };
    Summary recovery; // kernel-entry to ready over the reboots that reached it
    uint64_t violations { 0 };
    XyChart loss_by_boundary;
    XyChart unacknowledged_by_boundary;
    XyChart recovery_by_boundary;
    XyChart loss_cdf;
    XyChart unacknowledged_cdf;
    XyChart recovery_cdf;
    std::vector<const XyChart*> charts() const;
};

ShutdownView shutdown_view(const ShutdownInput& input);

} // namespace ferros::reports::detail
