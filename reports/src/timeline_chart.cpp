#include "axis.h"
#include <algorithm>
#include <ferros/reports/charts.h>
#include <ferros/reports/format.h>
#include <fmt/format.h>

namespace ferros::reports {

using detail::number;

// As `systemd-analyze plot`: one row per stage, a bar from where the stage began to where it
// was reached, its name and duration beside it, a shared time axis along the top and bottom.
Node render_timeline(const TimelineChart& chart)
{
    double constexpr row = 22;
    detail::Frame frame;
    frame.left = 20;
    frame.right = 20;
    frame.top = 40;
    frame.bottom = 46;
    frame.height = frame.top + frame.bottom + row * static_cast<double>(std::max<size_t>(chart.bars.size(), 1));

    double hi = 0;
    for (auto const& b : chart.bars)
        hi = std::max(hi, b.end);
    auto x = detail::Scale::nice(0, hi, frame.plot_left(), frame.plot_right(), 8);

    auto svg = detail::svg_root(chart.id, "timeline", chart.title, frame);
    svg.attr("data-marks", std::to_string(chart.bars.size()));
    auto& axes = svg.child("g");
    axes.attr("class", "axes");
    for (double t : x.ticks) {
        auto px = number(x(t));
        axes.child("line")
            .attr("class", "grid")
            .attr("x1", px)
            .attr("x2", px)
            .attr("y1", number(frame.plot_top()))
            .attr("y2", number(frame.plot_bottom()));
        axes.child("text")
            .attr("class", "tick")
            .attr("x", px)
            .attr("y", number(frame.plot_top() - 6))
            .attr("text-anchor", "middle")
            .add_text(format_short(t));
    }
    axes.child("text")
        .attr("class", "axis-label")
        .attr("x", number((frame.plot_left() + frame.plot_right()) / 2))
        .attr("y", number(frame.height - 12))
        .attr("text-anchor", "middle")
        .add_text(chart.x_label);

    for (size_t i = 0; i < chart.bars.size(); ++i) {
        auto const& b = chart.bars[i];
        double const y0 = frame.plot_top() + row * static_cast<double>(i) + 3;
        double const x0 = x(b.start);
        // A stage that takes no measurable time still gets a visible sliver.
        double const width = std::max(x(b.end) - x0, 1.5);
        auto& g = svg.child("g");
        g.attr("class", "stage").attr("data-stage", b.label);
        auto& bar = g.child("rect");
        bar.attr("class", "mark")
            .attr("x", number(x0))
            .attr("y", number(y0))
            .attr("width", number(width))
            .attr("height", number(row - 6))
            .attr("fill", detail::palette(i == 0 ? 1 : 0));
        bar.child("title").add_text(fmt::format("{}: {} to {}", b.label, format_short(b.start), format_short(b.end)));
        // The label goes right of the bar if it fits there, else left of it, else inside it (a
        // long stage), so that no label runs off the chart.
        auto const text = b.note.empty() ? b.label : b.label + " (" + b.note + ")";
        double const text_width = 6.6 * static_cast<double>(text.size());
        double const x_end = x0 + width;
        double label_x = x_end + 6;
        const char* anchor = "start";
        const char* label_class = "stage-label";
        if (x_end + 6 + text_width > frame.width) {
            if (x0 - 6 - text_width >= 0) {
                label_x = x0 - 6;
                anchor = "end";
            } else {
                label_x = x0 + 6;
                label_class = "stage-label inside";
            }
        }
        auto& label = g.child("text");
        label.attr("class", label_class)
            .attr("x", number(label_x))
            .attr("y", number(y0 + row - 10))
            .attr("text-anchor", anchor);
        label.add_text(text);
    }
    return svg;
}

} // namespace ferros::reports
