#include "boot_view.h"
#include "json_util.h"
#include <ferros/reports/boot_report.h>
#include <ferros/reports/format.h>
#include <ferros/reports/page.h>
#include <fmt/format.h>

namespace ferros::reports {

namespace {

    constexpr const char* kClockT0 = "power-on: boundary 0, QEMU's first guest instruction (firmware included); "
                                     "virtual time 0; wall time at the start of the QEMU process";
    constexpr const char* kClockStop = "the `ready` stage: its marker store retired (instructions), its `vt=` "
                                       "(virtual ns), its console line read by the host (wall ms)";
    constexpr const char* kTimeToReady = "kernel-entry to ready, in retired instructions (exact, deterministic)";

    template<typename T>
    std::string or_dash(const std::optional<T>& v, std::string (*format)(T))
    {
        return v ? format(*v) : std::string("-");
    }

    std::string count(uint64_t v) { return format_count(v); }
    std::string ms(double v) { return format_ms(v); }

} // namespace

std::string boot_report_json(const BootReport& report)
{
    auto v = detail::boot_view(report);
    nlohmann::ordered_json j;
    j["report"] = "boot";
    j["version"] = 1;
    j["kernel"] = report.kernel;
    j["clock"] = { { "t0", kClockT0 }, { "stop", kClockStop }, { "time_to_ready", kTimeToReady } };
    j["runs_total"] = report.runs.size();
    j["runs_ready"] = v.runs_ready;
    nlohmann::ordered_json timeline;
    timeline["source"] = v.timeline.run ? nlohmann::ordered_json(v.timeline.run->source) : nullptr;
    timeline["firmware_instructions"] = detail::optional_json(v.timeline.firmware_instructions);
    timeline["kernel_instructions"] = detail::optional_json(v.timeline.kernel_instructions);
    timeline["ready_instructions"] = detail::optional_json(v.timeline.ready_instructions);
    timeline["ready_virtual_ns"] = detail::optional_json(v.timeline.ready_virtual_ns);
    timeline["ready_wall_ms"] = detail::optional_json(v.timeline.ready_wall_ms);
    j["timeline"] = timeline;
    nlohmann::ordered_json ready;
    ready["instructions"] = detail::summary_json(v.ready);
    if (v.wall_min)
        ready["wall_ms"] = { { "min", *v.wall_min }, { "median", *v.wall_median }, { "max", *v.wall_max } };
    else
        ready["wall_ms"] = nullptr;
    j["time_to_ready"] = ready;
    auto runs = nlohmann::ordered_json::array();
    for (auto const& run : report.runs) {
        nlohmann::ordered_json r;
        r["source"] = run.source;
        r["ssd_bytes"] = run.ssd_bytes;
        r["store_bytes"] = detail::optional_json(run.store_bytes);
        r["cut_boundary"] = detail::optional_json(run.cut_boundary);
        r["outcome"] = run.outcome;
        r["ready_instructions"] = detail::optional_json(ready_instructions(run));
        r["wall_ms"] = detail::optional_json(run.wall_ms);
        auto stages = nlohmann::ordered_json::array();
        for (auto const& s : run.stages)
            stages.push_back({ { "name", s.name }, { "virtual_ns", s.virtual_ns },
                { "instructions", detail::optional_json(s.instructions) },
                { "wall_ms", detail::optional_json(s.wall_ms) } });
        r["stages"] = stages;
        runs.push_back(r);
    }
    j["runs"] = runs;
    nlohmann::ordered_json charts = nlohmann::ordered_json::object();
    if (v.timeline_chart)
        charts[v.timeline_chart->id] = v.timeline_chart->bars.size();
    if (v.by_store)
        charts[v.by_store->id] = mark_count(*v.by_store);
    if (v.by_cut)
        charts[v.by_cut->id] = mark_count(*v.by_cut);
    if (v.histogram)
        charts[v.histogram->id] = v.histogram->bins.size();
    j["charts"] = charts;
    return j.dump(2);
}

std::string boot_report_html(const BootReport& report)
{
    auto v = detail::boot_view(report);
    Page page("Ferros boot report",
        fmt::format("kernel {} · {} boot{} · {} reached ready", report.kernel.empty() ? "?" : report.kernel,
            report.runs.size(), report.runs.size() == 1 ? "" : "s", v.runs_ready));
    std::vector<Headline> headlines;
    if (v.ready.count) {
        headlines.push_back({ "/time_to_ready/instructions/median", "time to ready, median",
            format_count(v.ready.median), "instructions, kernel-entry to ready" });
        headlines.push_back({ "/time_to_ready/instructions/p99", "time to ready, p99", format_count(v.ready.p99),
            fmt::format("min {}, max {}", format_count(v.ready.min), format_count(v.ready.max)) });
    }
    if (v.timeline.firmware_instructions)
        headlines.push_back({ "/timeline/firmware_instructions", "firmware",
            format_count(*v.timeline.firmware_instructions), "instructions, power-on to kernel-entry" });
    if (v.timeline.ready_virtual_ns)
        headlines.push_back({ "/timeline/ready_virtual_ns", "power-on to ready",
            format_count(*v.timeline.ready_virtual_ns), "virtual ns (1 instruction = 1 ns)" });
    headlines.push_back({ "/runs_ready", "boots that reached ready", format_count(v.runs_ready),
        fmt::format("of {}", format_count(report.runs.size())) });
    page.headlines(headlines);

    page.section("clock", "Where the clock starts and stops");
    page.table({ "clock-table", { "", "definition" }, {},
        { { "t0", kClockT0 }, { "stop", kClockStop }, { "time to ready", kTimeToReady },
            { "virtual time", "the guest TSC under -icount shift=0: one instruction is one ns, deterministic" },
            { "wall time", "host milliseconds; includes QEMU's own start-up and varies between runs" } } });

    if (auto const* run = v.timeline.run) {
        page.section("timeline", "Boot timeline");
        page.paragraph(fmt::format(
            "Startup of {}: {} instructions (firmware) + {} instructions (kernel-entry to ready) = {} instructions; "
            "ready at {} ns virtual{}.",
            run->source, or_dash(v.timeline.firmware_instructions, count),
            or_dash(v.timeline.kernel_instructions, count), or_dash(v.timeline.ready_instructions, count),
            or_dash(v.timeline.ready_virtual_ns, count),
            v.timeline.ready_wall_ms ? ", " + format_ms(*v.timeline.ready_wall_ms) + " wall" : ""));
        page.add(render_timeline(*v.timeline_chart));
        Table stages { "stage-table",
            { "stage", "instructions", "since previous", "since kernel-entry", "virtual ns", "wall" },
            { Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right }, {} };
        std::optional<uint64_t> entry, previous;
        for (auto const& s : run->stages) {
            if (s.name == "kernel-entry")
                entry = s.instructions;
            auto since = [&](std::optional<uint64_t> from) {
                return from && s.instructions && *s.instructions >= *from ? format_count(*s.instructions - *from)
                                                                          : std::string("-");
            };
            stages.rows.push_back({ s.name, or_dash(s.instructions, count), since(previous.value_or(0)), since(entry),
                format_count(s.virtual_ns), or_dash(s.wall_ms, ms) });
            previous = s.instructions;
        }
        page.table(stages);
    }

    page.section("distribution", "Time to ready over all boots");
    if (v.ready.count) {
        page.paragraph(fmt::format("{} boots reached ready: min {}, median {}, p99 {}, max {} instructions from "
                                   "kernel-entry to ready.",
            format_count(v.ready.count), format_count(v.ready.min), format_count(v.ready.median),
            format_count(v.ready.p99), format_count(v.ready.max)));
        if (v.wall_min)
            page.paragraph(fmt::format("Wall time of the whole QEMU run: min {}, median {}, max {}.",
                format_ms(*v.wall_min), format_ms(*v.wall_median), format_ms(*v.wall_max)));
    } else {
        page.paragraph("No boot reached ready.");
    }
    if (v.by_store)
        page.add(render_xy_chart(*v.by_store));
    if (v.by_cut)
        page.add(render_xy_chart(*v.by_cut));
    if (v.histogram)
        page.add(render_histogram(*v.histogram));

    page.section("runs", "Boots");
    Table runs { "run-table", { "source", "SSD", "live data", "cut at", "outcome", "kernel-entry to ready", "wall" },
        { Align::Left, Align::Right, Align::Right, Align::Right, Align::Left, Align::Right, Align::Right }, {} };
    for (auto const& run : report.runs) {
        runs.rows.push_back({ run.source, run.ssd_bytes ? format_bytes(run.ssd_bytes) : "none",
            run.store_bytes ? format_bytes(*run.store_bytes) : "-", or_dash(run.cut_boundary, count), run.outcome,
            or_dash(ready_instructions(run), count), or_dash(run.wall_ms, ms) });
    }
    page.table(runs);
    return page.render();
}

} // namespace ferros::reports
