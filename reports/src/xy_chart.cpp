#include "axis.h"
#include <algorithm>
#include <ferros/reports/charts.h>
#include <ferros/reports/format.h>
#include <fmt/format.h>

namespace ferros::reports {

using detail::number;

size_t mark_count(const XyChart& chart)
{
    size_t n = 0;
    for (auto const& s : chart.series)
        n += s.points.size();
    return n;
}

Node render_xy_chart(const XyChart& chart)
{
    detail::Frame frame;
    bool any = false;
    double x_lo = 0, x_hi = 0, y_hi = 0;
    for (auto const& s : chart.series) {
        for (auto const& p : s.points) {
            x_lo = any ? std::min(x_lo, p.x) : p.x;
            x_hi = any ? std::max(x_hi, p.x) : p.x;
            y_hi = std::max(y_hi, p.y);
            any = true;
        }
    }
    // Counts and costs start at zero: a y axis that does not would exaggerate differences.
    auto x = detail::Scale::nice(x_lo, x_hi, frame.plot_left(), frame.plot_right());
    auto y = detail::Scale::nice(0, chart.y_max.value_or(y_hi), frame.plot_bottom(), frame.plot_top(), 5);

    auto svg = detail::svg_root(chart.id, "xy", chart.title, frame);
    svg.attr("data-marks", std::to_string(mark_count(chart)));
    detail::draw_axes(svg, frame, x, y, chart.x_label, chart.y_label);
    if (!any) {
        svg.child("text")
            .attr("class", "empty")
            .attr("x", number((frame.plot_left() + frame.plot_right()) / 2))
            .attr("y", number((frame.plot_top() + frame.plot_bottom()) / 2))
            .attr("text-anchor", "middle")
            .add_text("no data");
    }

    for (size_t i = 0; i < chart.series.size(); ++i) {
        auto const& s = chart.series[i];
        auto& group = svg.child("g");
        group.attr("class", "series").attr("data-series", s.name).attr("fill", detail::palette(i));
        if (chart.style != MarkStyle::Points && s.points.size() > 1) {
            std::string points;
            for (size_t k = 0; k < s.points.size(); ++k) {
                auto const& p = s.points[k];
                if (chart.style == MarkStyle::Steps && k > 0)
                    points += fmt::format("{},{} ", number(x(p.x)), number(y(s.points[k - 1].y)));
                points += fmt::format("{},{} ", number(x(p.x)), number(y(p.y)));
            }
            points.pop_back();
            group.child("polyline")
                .attr("class", "trace")
                .attr("points", points)
                .attr("fill", "none")
                .attr("stroke", detail::palette(i));
        }
        // Dense series get small dots so that the trace stays readable.
        auto const radius = s.points.size() > 100 ? "1.5" : "3";
        for (auto const& p : s.points) {
            auto& dot = group.child("circle");
            dot.attr("class", "mark").attr("cx", number(x(p.x))).attr("cy", number(y(p.y))).attr("r", radius);
            dot.child("title").add_text(fmt::format("{}: {}, {}", s.name, format_short(p.x), format_short(p.y)));
        }
    }

    if (chart.series.size() > 1) {
        double lx = frame.plot_left() + 8;
        for (size_t i = 0; i < chart.series.size(); ++i) {
            auto& key = svg.child("g");
            key.attr("class", "legend");
            key.child("rect")
                .attr("x", number(lx))
                .attr("y", number(frame.plot_top() + 4))
                .attr("width", "10")
                .attr("height", "10")
                .attr("fill", detail::palette(i));
            key.child("text")
                .attr("x", number(lx + 14))
                .attr("y", number(frame.plot_top() + 13))
                .add_text(chart.series[i].name);
            lx += 24 + 7.0 * static_cast<double>(chart.series[i].name.size());
        }
    }
    return svg;
}

} // namespace ferros::reports
