#pragma once
// Shared by the chart renderers: a linear scale with "nice" ticks (1, 2 or 5 times a power of
// ten), and the frame every chart draws in.

#include <ferros/reports/html.h>
#include <string>
#include <vector>

namespace ferros::reports::detail {

struct Scale {
    double lo { 0 };
    double hi { 1 };
    double pixel_lo { 0 };
    double pixel_hi { 1 };
    std::vector<double> ticks;

    // A scale covering [lo, hi], widened to whole ticks.
    static Scale nice(double lo, double hi, double pixel_lo, double pixel_hi, int max_ticks = 6);
    double operator()(double v) const;
};

// Chart geometry, in viewBox units; the <svg> scales to its container's width.
struct Frame {
    double width { 720 };
    double height { 300 };
    double left { 64 };
    double right { 20 };
    double top { 34 };
    double bottom { 46 };
    double plot_left() const { return left; }
    double plot_right() const { return width - right; }
    double plot_top() const { return top; }
    double plot_bottom() const { return height - bottom; }
};

// The <svg> root: id, data-chart, viewBox, an accessible <title> and the visible title.
Node svg_root(const std::string& id, const std::string& kind, const std::string& title, const Frame& frame);
// Axes with grid lines, tick labels and axis titles.
void draw_axes(Node& svg, const Frame& frame, const Scale& x, const Scale& y, const std::string& x_label,
    const std::string& y_label);
std::string number(double v); // an SVG coordinate, at most two decimals
const char* palette(size_t i);

} // namespace ferros::reports::detail
