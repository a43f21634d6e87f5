#include "json_util.h"
#include "shutdown_view.h"
#include <ferros/reports/format.h>
#include <ferros/reports/page.h>
#include <ferros/reports/shutdown_report.h>
#include <fmt/format.h>

namespace ferros::reports {

namespace {

    constexpr const char* kWindow
        = "What a power cut at a boundary can lose: the transactions committed but not yet acknowledged durable "
          "(a sync returned), their operations and bytes (keys and values), and the instructions of work since the "
          "last durable point (the last acknowledged sync; before the first, the ready stage). Everything "
          "acknowledged must survive: a boundary counts as losing something acknowledged when any crash state the "
          "policy allows there breaks R1 (mountable), R3 (durable) or R6 (stable).";

    std::string identity_value(const ShutdownInput& in, const char* key)
    {
        auto it = in.identity.find(key);
        return it == in.identity.end() ? std::string("?") : it->second;
    }

    std::vector<std::string> summary_row(const char* what, const Summary& s)
    {
        return { what, format_count(s.min), format_count(s.median), format_count(s.p99), format_count(s.max) };
    }

} // namespace

std::string shutdown_report_json(const ShutdownInput& input)
{
    auto v = detail::shutdown_view(input);
    nlohmann::ordered_json j;
    j["report"] = "shutdown";
    j["version"] = 1;
    j["campaign"] = input.identity;
    j["boundaries_total"] = input.total_boundaries;
    j["boundaries_covered"] = v.boundaries_covered;
    j["classes"] = input.classes.size();
    j["states"] = v.states;
    j["no_acknowledged_loss"]
        = { { "boundaries", v.boundaries_no_acknowledged_loss }, { "percent", v.percent_no_acknowledged_loss } };
    j["all_invariants_held"] = { { "boundaries", v.boundaries_all_held } };
    j["loss_window"] = { { "transactions", detail::summary_json(v.transactions) },
        { "operations", detail::summary_json(v.operations) }, { "bytes", detail::summary_json(v.bytes) },
        { "instructions", detail::summary_json(v.instructions) } };
    j["recovery"] = { { "reboots", input.reboots.size() }, { "ready", v.reboots_ready }, { "agree", v.reboots_agree },
        { "instructions", detail::summary_json(v.recovery) } };
    j["violations"] = v.violations;
    j["violations_by_invariant"] = input.violations_by_invariant;
    nlohmann::ordered_json charts = nlohmann::ordered_json::object();
    nlohmann::ordered_json series = nlohmann::ordered_json::object();
    for (auto const* chart : v.charts()) {
        charts[chart->id] = mark_count(*chart);
        auto points = nlohmann::ordered_json::array();
        for (auto const& p : chart->series.front().points)
            points.push_back({ p.x, p.y });
        series[chart->id] = points;
    }
    j["charts"] = charts;
    j["series"] = series;
    return j.dump(2);
}

std::string shutdown_report_html(const ShutdownInput& input)
{
    auto v = detail::shutdown_view(input);
    Page page("Ferros shutdown report",
        fmt::format("campaign: policy {}, workload {}, kernel {} · {} of {} boundaries in {} classes",
            identity_value(input, "policy"), identity_value(input, "workload_hash"),
            identity_value(input, "kernel_hash"), format_count(v.boundaries_covered),
            format_count(input.total_boundaries), format_count(input.classes.size())));
    page.headlines({
        { "/no_acknowledged_loss/percent", "boundaries with nothing acknowledged lost",
            format_percent(v.percent_no_acknowledged_loss),
            fmt::format("{} of {} (goal: all)", format_count(v.boundaries_no_acknowledged_loss),
                format_count(v.boundaries_covered)) },
        { "/loss_window/operations/max", "worst loss window", format_count(v.operations.max),
            fmt::format("operations ({} bytes) not yet acknowledged", format_count(v.bytes.max)) },
        { "/loss_window/operations/median", "median loss window", format_count(v.operations.median),
            fmt::format("operations ({} bytes)", format_count(v.bytes.median)) },
        { "/loss_window/instructions/max", "worst work since durable", format_count(v.instructions.max),
            fmt::format("instructions (median {})", format_count(v.instructions.median)) },
        { "/recovery/instructions/p99", "recovery, p99", format_count(v.recovery.p99),
            fmt::format("instructions kernel-entry to ready, {} reboots", format_count(v.reboots_ready)) },
        { "/violations", "invariant violations", format_count(v.violations), "R1-R9, every checked state" },
    });

    page.section("loss", "Loss window");
    page.paragraph(kWindow);
    page.table({ "loss-table", { "per boundary", "min", "median", "p99", "max" },
        { Align::Left, Align::Right, Align::Right, Align::Right, Align::Right },
        { summary_row("transactions not acknowledged", v.transactions),
            summary_row("operations not acknowledged", v.operations), summary_row("their bytes", v.bytes),
            summary_row("instructions since the last durable point", v.instructions) } });
    page.add(render_xy_chart(v.loss_by_boundary));
    page.add(render_xy_chart(v.unacknowledged_by_boundary));
    page.add(render_xy_chart(v.loss_cdf));
    page.add(render_xy_chart(v.unacknowledged_cdf));
    page.paragraph(fmt::format("Charts along the run show at most one point per {} of the run's width: the largest "
                               "value in each stretch, so no peak is hidden.",
        "1/400"));

    page.section("recovery", "Recovery cost");
    if (v.recovery.count) {
        page.paragraph(fmt::format("{} rebooted crash states reached ready ({} rebooted, {} agree with the host "
                                   "checker): min {}, median {}, p99 {}, max {} instructions from kernel-entry to "
                                   "ready.",
            format_count(v.reboots_ready), format_count(input.reboots.size()), format_count(v.reboots_agree),
            format_count(v.recovery.min), format_count(v.recovery.median), format_count(v.recovery.p99),
            format_count(v.recovery.max)));
    } else {
        page.paragraph("No rebooted state reached ready (the campaign rebooted none, or every reboot failed).");
    }
    page.add(render_xy_chart(v.recovery_by_boundary));
    page.add(render_xy_chart(v.recovery_cdf));

    page.section("invariants", "Invariants");
    page.paragraph(fmt::format("Every invariant held for every crash state at {} of {} boundaries.",
        format_count(v.boundaries_all_held), format_count(v.boundaries_covered)));
    Table invariants { "invariant-table", { "invariant", "violations" }, { Align::Left, Align::Right }, {} };
    for (auto const& [id, count] : input.violations_by_invariant)
        invariants.rows.push_back({ id, format_count(count) });
    page.table(invariants);

    page.section("campaign", "Campaign");
    Table identity { "identity-table", { "field", "value" }, {}, {} };
    for (auto const& [key, value] : input.identity)
        identity.rows.push_back({ key, value });
    page.table(identity);
    return page.render();
}

} // namespace ferros::reports
