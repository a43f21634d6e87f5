#include "boot_view.h"
#include <algorithm>
#include <ferros/reports/format.h>
#include <map>

namespace ferros::reports {

const BootRun* timeline_run(const BootReport& report)
{
    const BootRun* first_with_stages = nullptr;
    for (auto const& run : report.runs) {
        if (run.stages.empty())
            continue;
        if (!first_with_stages)
            first_with_stages = &run;
        if (run.outcome == "ready")
            return &run;
    }
    return first_with_stages;
}

namespace {

    const BootStage* find_stage(const BootRun& run, const std::string& name)
    {
        for (auto const& s : run.stages) {
            if (s.name == name)
                return &s;
        }
        return nullptr;
    }

} // namespace

std::optional<uint64_t> ready_instructions(const BootRun& run)
{
    auto const* entry = find_stage(run, "kernel-entry");
    auto const* ready = find_stage(run, "ready");
    if (entry && ready && entry->instructions && ready->instructions && *ready->instructions >= *entry->instructions)
        return *ready->instructions - *entry->instructions;
    if (run.outcome == "ready")
        return run.ready_instructions;
    return std::nullopt;
}

namespace detail {

    BootView boot_view(const BootReport& report)
    {
        BootView v;
        v.timeline.run = timeline_run(report);
        if (auto const* run = v.timeline.run) {
            auto const* entry = find_stage(*run, "kernel-entry");
            auto const* ready = find_stage(*run, "ready");
            if (entry)
                v.timeline.firmware_instructions = entry->instructions;
            v.timeline.kernel_instructions = ready_instructions(*run);
            if (ready) {
                v.timeline.ready_instructions = ready->instructions;
                v.timeline.ready_virtual_ns = ready->virtual_ns;
                v.timeline.ready_wall_ms = ready->wall_ms;
            }
            TimelineChart chart;
            chart.id = "boot-timeline";
            bool const exact = std::all_of(
                run->stages.begin(), run->stages.end(), [](auto const& s) { return s.instructions.has_value(); });
            chart.title = "Boot stages of " + run->source;
            chart.x_label = exact ? "instructions since power-on" : "virtual ns since power-on";
            double previous = 0;
            for (auto const& s : run->stages) {
                double const at = exact ? static_cast<double>(*s.instructions) : static_cast<double>(s.virtual_ns);
                chart.bars.push_back({ s.name, previous, at,
                    format_count(static_cast<uint64_t>(at - previous)) + (exact ? " insns" : " ns") });
                previous = at;
            }
            v.timeline_chart = chart;
        }

        Sample ready;
        std::vector<uint64_t> ready_values;
        std::vector<double> walls;
        // Against store size: one series per SSD size, x the live data when the report knows it
        // (the default stores), else the SSD's size; boots of unknown fill then stay out of a
        // chart of fills.
        bool const live = std::any_of(report.runs.begin(), report.runs.end(), [](auto& r) { return r.store_bytes; });
        std::map<uint64_t, Series> by_store;
        Series by_cut { "rebooted states", {} };
        for (auto const& run : report.runs) {
            if (run.wall_ms)
                walls.push_back(*run.wall_ms);
            auto r = ready_instructions(run);
            if (!r)
                continue;
            ++v.runs_ready;
            ready.add(*r);
            ready_values.push_back(*r);
            if (run.ssd_bytes && (!live || run.store_bytes)) {
                auto& series = by_store[run.ssd_bytes];
                series.name = format_bytes(run.ssd_bytes) + " SSD";
                series.points.push_back(
                    { static_cast<double>(run.store_bytes.value_or(run.ssd_bytes)), static_cast<double>(*r) });
            }
            if (run.cut_boundary)
                by_cut.points.push_back({ static_cast<double>(*run.cut_boundary), static_cast<double>(*r) });
        }
        v.ready = ready.summary();
        if (!walls.empty()) {
            std::sort(walls.begin(), walls.end());
            v.wall_min = walls.front();
            v.wall_median = walls[(walls.size() + 1) / 2 - 1];
            v.wall_max = walls.back();
        }
        auto by_x = [](Point a, Point b) { return a.x < b.x || (a.x == b.x && a.y < b.y); };
        if (!by_store.empty()) {
            XyChart chart { "ready-by-store", "Time to ready against store size",
                live ? "live data on the store (bytes)" : "SSD size (bytes)", "kernel-entry to ready (instructions)",
                live ? MarkStyle::Line : MarkStyle::Points, {}, std::nullopt };
            for (auto& [size, series] : by_store) {
                std::sort(series.points.begin(), series.points.end(), by_x);
                chart.series.push_back(std::move(series));
            }
            v.by_store = std::move(chart);
        }
        if (!by_cut.points.empty()) {
            std::sort(by_cut.points.begin(), by_cut.points.end(), by_x);
            v.by_cut = XyChart { "ready-by-cut", "Time to ready against where the power was cut",
                "boundary of the cut (instructions into the traced run)", "kernel-entry to ready (instructions)",
                MarkStyle::Points, { by_cut }, std::nullopt };
        }
        if (!ready_values.empty()) {
            v.histogram = Histogram { "ready-histogram", "Distribution of time to ready",
                "kernel-entry to ready (instructions)", "boots", histogram_bins(ready_values, 20) };
        }
        return v;
    }

} // namespace detail

} // namespace ferros::reports
