#pragma once
// Distributions for reports: nearest-rank quantiles over weighted integer samples (a boundary
// class stands for all of its boundaries), empirical CDFs, and the thinning of long series
// to what a chart can draw. Everything is exact and deterministic: integer values, stable
// sorts, no floating-point accumulation order that depends on the input's order.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ferros::reports {

struct Point {
    double x { 0 };
    double y { 0 };
};

// min, median, p99 and max by the nearest-rank definition: the q-quantile is the smallest
// value v such that at least q of the total weight lies at or below v.
struct Summary {
    uint64_t count { 0 }; // total weight (boundaries, boots)
    uint64_t min { 0 };
    uint64_t median { 0 };
    uint64_t p99 { 0 };
    uint64_t max { 0 };
};

// A multiset of integers, given as single values with a weight or as runs of consecutive
// values (a boundary class whose loss window grows by one instruction per boundary).
class Sample {
public:
    void add(uint64_t value, uint64_t weight = 1);
    // The values first, first + 1, ..., first + count - 1, once each.
    void add_run(uint64_t first, uint64_t count);
    uint64_t total_weight() const { return m_total; }
    bool empty() const { return m_total == 0; }
    // How many values are <= v.
    uint64_t count_at_or_below(uint64_t v) const;
    // Nearest-rank quantile, 0 < q <= 1; 0 for an empty sample.
    uint64_t quantile(double q) const;
    Summary summary() const;
    // The empirical CDF: points (value, fraction at or below it). Exact steps at every
    // distinct value when there are at most `max_points` of them; otherwise the CDF taken at
    // `max_points` values evenly spread over [min, max].
    std::vector<Point> cdf(size_t max_points) const;

private:
    struct Piece {
        uint64_t first;
        uint64_t count;
        bool run; // values first..first+count-1; else `count` copies of `first`
        uint64_t last() const { return run ? first + count - 1 : first; }
    };
    std::vector<Piece> m_pieces;
    uint64_t m_total { 0 };
    uint64_t m_min { UINT64_MAX };
    uint64_t m_max { 0 };
};

// Thins a series ordered by x to at most `buckets` points: the x range is cut into equal
// buckets and each non-empty one keeps its point of largest y (the first of equals), so a
// chart of a long run still shows every peak.
std::vector<Point> bucket_maxima(const std::vector<Point>& series, size_t buckets);

} // namespace ferros::reports
