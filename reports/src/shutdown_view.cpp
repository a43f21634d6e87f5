#include "shutdown_view.h"
#include <algorithm>

namespace ferros::reports {

bool loses_acknowledged(const LossClass& c)
{
    // The list is comma-separated invariant IDs; match whole IDs (R1 must not match R10).
    std::string const list = "," + c.invariants + ",";
    for (auto id : { ",R1,", ",R3,", ",R6," }) {
        if (list.find(id) != std::string::npos)
            return true;
    }
    return false;
}

namespace detail {

    namespace {

        // Chart sizes: enough points to show every peak of a run on a page's width, few enough
        // for a page that opens at once. Thinning keeps each bucket's largest value.
        constexpr size_t kSeriesPoints = 400;
        constexpr size_t kScatterPoints = 1000;
        constexpr size_t kCdfPoints = 300;

    } // namespace

    std::vector<const XyChart*> ShutdownView::charts() const
    {
        return { &loss_by_boundary, &unacknowledged_by_boundary, &recovery_by_boundary, &loss_cdf, &unacknowledged_cdf,
            &recovery_cdf };
    }

    ShutdownView shutdown_view(const ShutdownInput& input)
    {
        ShutdownView v;
        Sample transactions, operations, bytes, instructions;
        Series loss { "instructions since the last durable point", {} };
        Series unacknowledged { "operations not acknowledged", {} };
        for (auto const& c : input.classes) {
            v.boundaries_covered += c.boundaries;
            v.states += c.states;
            if (!loses_acknowledged(c))
                v.boundaries_no_acknowledged_loss += c.boundaries;
            if (c.invariants.empty())
                v.boundaries_all_held += c.boundaries;
            transactions.add(c.transactions, c.boundaries);
            operations.add(c.operations, c.boundaries);
            bytes.add(c.bytes, c.boundaries);
            instructions.add_run(c.instructions_since_durable, c.boundaries);
            if (c.boundaries == 0)
                continue;
            uint64_t const last = c.first_boundary + c.boundaries - 1;
            // The work lost grows along a class: its first and last boundaries draw the saw.
            loss.points.push_back(
                { static_cast<double>(c.first_boundary), static_cast<double>(c.instructions_since_durable) });
            if (last != c.first_boundary)
                loss.points.push_back({ static_cast<double>(last),
                    static_cast<double>(c.instructions_since_durable + c.boundaries - 1) });
            unacknowledged.points.push_back(
                { static_cast<double>(c.first_boundary), static_cast<double>(c.operations) });
        }
        v.percent_no_acknowledged_loss = v.boundaries_covered
            ? 100.0 * static_cast<double>(v.boundaries_no_acknowledged_loss) / static_cast<double>(v.boundaries_covered)
            : 0.0;
        v.transactions = transactions.summary();
        v.operations = operations.summary();
        v.bytes = bytes.summary();
        v.instructions = instructions.summary();

        Sample recovery;
        Series recovered { "reboots", {} };
        for (auto const& r : input.reboots) {
            if (r.agrees)
                ++v.reboots_agree;
            if (r.outcome != "ready")
                continue;
            ++v.reboots_ready;
            recovery.add(r.ready_instructions);
            recovered.points.push_back({ static_cast<double>(r.boundary), static_cast<double>(r.ready_instructions) });
        }
        std::stable_sort(recovered.points.begin(), recovered.points.end(), [](Point a, Point b) { return a.x < b.x; });
        v.recovery = recovery.summary();
        for (auto const& [id, count] : input.violations_by_invariant)
            v.violations += count;

        loss.points = bucket_maxima(loss.points, kSeriesPoints);
        unacknowledged.points = bucket_maxima(unacknowledged.points, kSeriesPoints);
        recovered.points = bucket_maxima(recovered.points, kScatterPoints);
        v.loss_by_boundary
            = { "loss-by-boundary", "Work a cut loses, along the run", "boundary (instructions since power-on)",
                  "instructions since the last durable point", MarkStyle::Line, { loss }, std::nullopt };
        v.unacknowledged_by_boundary = { "unacknowledged-by-boundary",
            "Operations committed but not acknowledged, along the run", "boundary (instructions since power-on)",
            "operations", MarkStyle::Steps, { unacknowledged }, std::nullopt };
        v.recovery_by_boundary
            = { "recovery-by-boundary", "Recovery cost of rebooted states, along the run", "boundary of the cut",
                  "kernel-entry to ready (instructions)", MarkStyle::Points, { recovered }, std::nullopt };
        v.loss_cdf = { "loss-cdf", "CDF over boundaries: work lost", "instructions since the last durable point",
            "fraction of boundaries", MarkStyle::Steps, { { "boundaries", instructions.cdf(kCdfPoints) } }, 1.0 };
        v.unacknowledged_cdf = { "unacknowledged-cdf", "CDF over boundaries: operations not acknowledged",
            "operations committed but not acknowledged", "fraction of boundaries", MarkStyle::Steps,
            { { "boundaries", operations.cdf(kCdfPoints) } }, 1.0 };
        v.recovery_cdf
            = { "recovery-cdf", "CDF over rebooted states: recovery cost", "kernel-entry to ready (instructions)",
                  "fraction of reboots", MarkStyle::Steps, { { "reboots", recovery.cdf(kCdfPoints) } }, 1.0 };
        return v;
    }

} // namespace detail

} // namespace ferros::reports
