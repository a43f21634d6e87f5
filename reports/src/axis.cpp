#include "axis.h"
#include <cmath>
#include <ferros/reports/format.h>
#include <fmt/format.h>

namespace ferros::reports::detail {

Scale Scale::nice(double lo, double hi, double pixel_lo, double pixel_hi, int max_ticks)
{
    if (!(hi > lo)) {
        // A single value (or none): give it a unit of room so that it sits on the axis.
        hi = lo + (lo == 0 ? 1 : std::fabs(lo) * 0.1);
    }
    double const raw = (hi - lo) / max_ticks;
    double const magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude * 10;
    for (double m : { 1.0, 2.0, 5.0, 10.0 }) {
        if (raw <= m * magnitude) {
            step = m * magnitude;
            break;
        }
    }
    Scale s;
    s.lo = std::floor(lo / step) * step;
    s.hi = std::ceil(hi / step) * step;
    s.pixel_lo = pixel_lo;
    s.pixel_hi = pixel_hi;
    for (double t = s.lo; t <= s.hi + step / 2; t += step)
        s.ticks.push_back(std::fabs(t) < step / 1e6 ? 0 : t);
    return s;
}

double Scale::operator()(double v) const { return pixel_lo + (v - lo) / (hi - lo) * (pixel_hi - pixel_lo); }

std::string number(double v)
{
    auto s = fmt::format("{:.2f}", v);
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s == "-0" ? "0" : s;
}

const char* palette(size_t i)
{
    // Tableau 10's first colours: distinct for common colour blindness, readable on white.
    static const char* const colours[] = { "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1" };
    return colours[i % (sizeof colours / sizeof colours[0])];
}

Node svg_root(const std::string& id, const std::string& kind, const std::string& title, const Frame& frame)
{
    auto svg = Node::element("svg");
    svg.attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("id", id)
        .attr("data-chart", kind)
        .attr("class", "chart")
        .attr("viewBox", fmt::format("0 0 {} {}", number(frame.width), number(frame.height)))
        .attr("role", "img")
        .attr("aria-labelledby", id + "-title");
    svg.child("title").attr("id", id + "-title").add_text(title);
    svg.child("text").attr("x", number(frame.plot_left())).attr("y", "18").attr("class", "chart-title").add_text(title);
    return svg;
}

void draw_axes(Node& svg, const Frame& frame, const Scale& x, const Scale& y, const std::string& x_label,
    const std::string& y_label)
{
    auto& axes = svg.child("g");
    axes.attr("class", "axes");
    for (double t : y.ticks) {
        auto py = number(y(t));
        axes.child("line")
            .attr("class", "grid")
            .attr("x1", number(frame.plot_left()))
            .attr("x2", number(frame.plot_right()))
            .attr("y1", py)
            .attr("y2", py);
        axes.child("text")
            .attr("class", "tick")
            .attr("x", number(frame.plot_left() - 6))
            .attr("y", number(y(t) + 4))
            .attr("text-anchor", "end")
            .add_text(format_short(t));
    }
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
            .attr("y", number(frame.plot_bottom() + 16))
            .attr("text-anchor", "middle")
            .add_text(format_short(t));
    }
    axes.child("line")
        .attr("class", "axis")
        .attr("x1", number(frame.plot_left()))
        .attr("x2", number(frame.plot_right()))
        .attr("y1", number(frame.plot_bottom()))
        .attr("y2", number(frame.plot_bottom()));
    axes.child("line")
        .attr("class", "axis")
        .attr("x1", number(frame.plot_left()))
        .attr("x2", number(frame.plot_left()))
        .attr("y1", number(frame.plot_top()))
        .attr("y2", number(frame.plot_bottom()));
    axes.child("text")
        .attr("class", "axis-label")
        .attr("x", number((frame.plot_left() + frame.plot_right()) / 2))
        .attr("y", number(frame.height - 8))
        .attr("text-anchor", "middle")
        .add_text(x_label);
    axes.child("text")
        .attr("class", "axis-label")
        .attr("x", "14")
        .attr("y", number((frame.plot_top() + frame.plot_bottom()) / 2))
        .attr("text-anchor", "middle")
        .attr("transform", fmt::format("rotate(-90 14 {})", number((frame.plot_top() + frame.plot_bottom()) / 2)))
        .add_text(y_label);
}

} // namespace ferros::reports::detail
