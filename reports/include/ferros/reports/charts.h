#pragma once
// SVG charts drawn by our own code: a stage timeline in the style of `systemd-analyze plot`,
// point/line/step charts (scatter, series along a run, CDFs) and histograms. No chart library
// is needed for four kinds of chart, and our own code keeps the output deterministic, free of
// scripts and network, and countable by a test: the <svg> carries id and data-chart, and every
// datum drawn is one element of class "mark" (a circle, or a rect for bars and bins), so a
// browser test can count marks against the JSON twin. Text stays <text>, so it is selectable.

#include <cstdint>
#include <ferros/reports/html.h>
#include <ferros/reports/stats.h>
#include <optional>
#include <string>
#include <vector>

namespace ferros::reports {

enum class MarkStyle {
    Points, // a scatter: one dot per point
    Line, // dots joined in order
    Steps, // dots joined by horizontal-then-vertical steps (a CDF)
};

struct Series {
    std::string name;
    std::vector<Point> points;
};

struct XyChart {
    std::string id;
    std::string title;
    std::string x_label;
    std::string y_label;
    MarkStyle style { MarkStyle::Points };
    std::vector<Series> series;
    std::optional<double> y_max; // a fixed top, e.g. 1 for a CDF
};

struct TimelineBar {
    std::string label;
    double start { 0 };
    double end { 0 };
    std::string note; // shown after the label, e.g. "842 908 insns"
};

struct TimelineChart {
    std::string id;
    std::string title;
    std::string x_label;
    std::vector<TimelineBar> bars;
};

struct HistogramBin {
    double low { 0 };
    double high { 0 };
    uint64_t count { 0 };
};

struct Histogram {
    std::string id;
    std::string title;
    std::string x_label;
    std::string y_label;
    std::vector<HistogramBin> bins;
};

// Equal-width bins over [min, max] of `values` (at most `bins`; one bin when all are equal).
std::vector<HistogramBin> histogram_bins(const std::vector<uint64_t>& values, size_t bins);

Node render_xy_chart(const XyChart& chart);
Node render_timeline(const TimelineChart& chart);
Node render_histogram(const Histogram& chart);

// The number of marks a chart draws: what a test expects to count in the page.
size_t mark_count(const XyChart& chart);

} // namespace ferros::reports
