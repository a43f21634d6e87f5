#include <algorithm>
#include <cmath>
#include <ferros/reports/stats.h>
#include <set>

namespace ferros::reports {

void Sample::add(uint64_t value, uint64_t weight)
{
    if (weight == 0)
        return;
    m_pieces.push_back({ value, weight, false });
    m_total += weight;
    m_min = std::min(m_min, value);
    m_max = std::max(m_max, value);
}

void Sample::add_run(uint64_t first, uint64_t count)
{
    if (count == 0)
        return;
    m_pieces.push_back({ first, count, true });
    m_total += count;
    m_min = std::min(m_min, first);
    m_max = std::max(m_max, first + count - 1);
}

uint64_t Sample::count_at_or_below(uint64_t v) const
{
    uint64_t n = 0;
    for (auto const& p : m_pieces) {
        if (v < p.first)
            continue;
        n += p.run ? std::min(p.count, v - p.first + 1) : p.count;
    }
    return n;
}

uint64_t Sample::quantile(double q) const
{
    if (m_total == 0)
        return 0;
    // The rank of the q-quantile, 1-based: ceil(q * total), at least 1.
    auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(m_total)));
    rank = std::clamp<uint64_t>(rank, 1, m_total);
    // The smallest v with count_at_or_below(v) >= rank: a binary search over [min, max], since
    // the count only grows with v. Exact for runs too, without expanding them.
    uint64_t lo = m_min, hi = m_max;
    while (lo < hi) {
        uint64_t const mid = lo + (hi - lo) / 2;
        if (count_at_or_below(mid) >= rank)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

Summary Sample::summary() const
{
    Summary s;
    s.count = m_total;
    if (m_total == 0)
        return s;
    s.min = m_min;
    s.max = m_max;
    s.median = quantile(0.5);
    s.p99 = quantile(0.99);
    return s;
}

std::vector<Point> Sample::cdf(size_t max_points) const
{
    std::vector<Point> out;
    if (m_total == 0)
        return out;
    auto fraction
        = [&](uint64_t v) { return static_cast<double>(count_at_or_below(v)) / static_cast<double>(m_total); };
    // Distinct values, if there are few enough to give each its step.
    std::set<uint64_t> distinct;
    bool few = max_points >= 2;
    for (auto const& p : m_pieces) {
        if (!few)
            break;
        if (p.run && p.count > max_points) {
            few = false;
            break;
        }
        for (uint64_t k = 0; k < (p.run ? p.count : 1) && few; ++k) {
            distinct.insert(p.first + k);
            few = distinct.size() <= max_points;
        }
    }
    if (few) {
        for (auto v : distinct)
            out.push_back({ static_cast<double>(v), fraction(v) });
        return out;
    }
    for (size_t i = 0; i < max_points; ++i) {
        auto const v = m_min
            + static_cast<uint64_t>(
                std::llround(static_cast<double>(m_max - m_min) * static_cast<double>(i) / (max_points - 1.0)));
        if (out.empty() || static_cast<double>(v) > out.back().x)
            out.push_back({ static_cast<double>(v), fraction(v) });
    }
    return out;
}

std::vector<Point> bucket_maxima(const std::vector<Point>& series, size_t buckets)
{
    if (series.size() <= buckets || buckets == 0)
        return series;
    double const lo = series.front().x;
    double const span = series.back().x - lo;
    std::vector<Point> out;
    size_t current = SIZE_MAX;
    for (auto const& p : series) {
        size_t b = span > 0 ? static_cast<size_t>((p.x - lo) / span * static_cast<double>(buckets)) : 0;
        b = std::min(b, buckets - 1);
        if (b != current) {
            out.push_back(p);
            current = b;
        } else if (p.y > out.back().y) {
            out.back() = p;
        }
    }
    return out;
}

} // namespace ferros::reports
