#include "axis.h"
#include <algorithm>
#include <ferros/reports/charts.h>
#include <ferros/reports/format.h>
#include <fmt/format.h>

namespace ferros::reports {

using detail::number;

std::vector<HistogramBin> histogram_bins(const std::vector<uint64_t>& values, size_t bins)
{
    std::vector<HistogramBin> out;
    if (values.empty() || bins == 0)
        return out;
    auto [lo_it, hi_it] = std::minmax_element(values.begin(), values.end());
    uint64_t const lo = *lo_it, hi = *hi_it;
    if (lo == hi) {
        out.push_back({ static_cast<double>(lo), static_cast<double>(hi), values.size() });
        return out;
    }
    // Integer bin widths, so that every value falls in exactly one bin without rounding doubt.
    uint64_t const width = (hi - lo) / bins + 1;
    size_t const count = static_cast<size_t>((hi - lo) / width + 1);
    out.resize(count);
    for (size_t i = 0; i < count; ++i) {
        out[i].low = static_cast<double>(lo + i * width);
        out[i].high = static_cast<double>(lo + (i + 1) * width);
    }
    for (auto v : values)
        ++out[static_cast<size_t>((v - lo) / width)].count;
    return out;
}

Node render_histogram(const Histogram& chart)
{
    detail::Frame frame;
    double x_lo = chart.bins.empty() ? 0 : chart.bins.front().low;
    double x_hi = chart.bins.empty() ? 1 : chart.bins.back().high;
    uint64_t top = 0;
    for (auto const& b : chart.bins)
        top = std::max(top, b.count);
    auto x = detail::Scale::nice(x_lo, x_hi, frame.plot_left(), frame.plot_right());
    auto y = detail::Scale::nice(0, static_cast<double>(top), frame.plot_bottom(), frame.plot_top(), 5);

    auto svg = detail::svg_root(chart.id, "histogram", chart.title, frame);
    svg.attr("data-marks", std::to_string(chart.bins.size()));
    detail::draw_axes(svg, frame, x, y, chart.x_label, chart.y_label);
    auto& group = svg.child("g");
    group.attr("class", "series").attr("fill", detail::palette(0));
    for (auto const& b : chart.bins) {
        double const left = x(b.low);
        // A bin of one value (all samples equal) is drawn a few units wide around it.
        double const width = b.high > b.low ? std::max(x(b.high) - left - 1, 1.0) : 8.0;
        auto& bar = group.child("rect");
        bar.attr("class", "mark")
            .attr("x", number(b.high > b.low ? left : left - 4))
            .attr("y", number(y(static_cast<double>(b.count))))
            .attr("width", number(width))
            .attr("height", number(y(0) - y(static_cast<double>(b.count))));
        bar.child("title").add_text(
            fmt::format("{} to {}: {}", format_short(b.low), format_short(b.high), format_count(b.count)));
    }
    return svg;
}

} // namespace ferros::reports
