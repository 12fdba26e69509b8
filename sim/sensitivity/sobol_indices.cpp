#include "sim/sensitivity/sobol_indices.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <tuple>

#include "sim/splitmix.hpp"

namespace cdpsim::sensitivity {

namespace {

// The point estimates over the base samples listed in `rows` (repeats allowed: a bootstrap).
// Every row has finite f(A_j) and f(B_j); a row whose f(AB_j^i) is not finite is left out of
// input i's sums only (available-case estimation).
struct Point {
  std::vector<double> first, total;
  double first_sum = kNaN, total_sum = kNaN, mean = kNaN, variance = kNaN;
};

Point estimate(const SaltelliDesign& d, std::span<const double> y,
               std::span<const std::size_t> rows) {
  const int k = d.inputs;
  Point p;
  p.first.assign(static_cast<std::size_t>(k), kNaN);
  p.total.assign(static_cast<std::size_t>(k), kNaN);
  const auto n = static_cast<double>(rows.size());
  if (rows.size() < 2) return p;
  double sum = 0.0;
  for (std::size_t j : rows) sum += y[d.row_a(j)] + y[d.row_b(j)];
  const double mean = sum / (2.0 * n);
  double ss = 0.0;
  for (std::size_t j : rows) {
    const double a = y[d.row_a(j)] - mean, b = y[d.row_b(j)] - mean;
    ss += a * a + b * b;
  }
  const double var = ss / (2.0 * n);
  p.mean = mean;
  p.variance = var;
  // A variance at rounding level of the mean is a constant output.
  if (!(var > 1e-24 * (1.0 + mean * mean))) return p;
  p.first_sum = p.total_sum = 0.0;
  for (int i = 0; i < k; ++i) {
    double s1 = 0.0, st = 0.0, used = 0.0;
    for (std::size_t j : rows) {
      const double ab = y[d.row_ab(j, i)];
      if (!std::isfinite(ab)) continue;
      const double fa = y[d.row_a(j)] - mean, fb = y[d.row_b(j)] - mean, fab = ab - mean;
      s1 += fb * (fab - fa);
      st += (fa - fab) * (fa - fab);
      used += 1.0;
    }
    const auto ii = static_cast<std::size_t>(i);
    if (used > 0) {
      p.first[ii] = s1 / used / var;
      p.total[ii] = st / used / (2.0 * var);
    }
    p.first_sum += p.first[ii];
    p.total_sum += p.total[ii];
  }
  return p;
}

}  // namespace

SaltelliDesign saltelli_design(int inputs, std::size_t base, std::uint64_t seed,
                               Scrambling scrambling) {
  if (inputs < 1 || 2 * inputs > kSobolMaxDimensions)
    throw std::invalid_argument("Saltelli design: " + std::to_string(inputs) +
                                " inputs (allowed: 1 to " +
                                std::to_string(kSobolMaxDimensions / 2) + ")");
  if (base < 1) throw std::invalid_argument("Saltelli design: at least one base sample");
  SaltelliDesign d;
  d.inputs = inputs;
  d.base = base;
  const auto k = static_cast<std::size_t>(inputs);
  const std::vector<double> ab = sobol_points(base, 2 * inputs, scrambling, seed);
  d.points.resize(d.rows() * k);
  for (std::size_t j = 0; j < base; ++j) {
    const double* a = &ab[j * 2 * k];
    const double* b = a + k;
    auto put = [&](std::size_t row, auto value) {
      for (std::size_t c = 0; c < k; ++c) d.points[row * k + c] = value(c);
    };
    put(d.row_a(j), [&](std::size_t c) { return a[c]; });
    put(d.row_b(j), [&](std::size_t c) { return b[c]; });
    for (int i = 0; i < inputs; ++i)
      put(d.row_ab(j, i),
          [&](std::size_t c) { return c == static_cast<std::size_t>(i) ? b[c] : a[c]; });
  }
  return d;
}

SobolIndices sobol_indices(const SaltelliDesign& d, std::span<const double> y,
                           const BootstrapOptions& boot) {
  if (y.size() != d.rows())
    throw std::invalid_argument("Sobol indices: " + std::to_string(y.size()) +
                                " outputs for a design of " + std::to_string(d.rows()) + " rows");
  const auto k = static_cast<std::size_t>(d.inputs);
  std::vector<std::size_t> rows;  // base samples with f(A_j) and f(B_j) defined
  for (std::size_t j = 0; j < d.base; ++j)
    if (std::isfinite(y[d.row_a(j)]) && std::isfinite(y[d.row_b(j)])) rows.push_back(j);
  SobolIndices out;
  out.rows_used = rows.size();
  for (int i = 0; i < d.inputs; ++i) {
    std::size_t n = 0;
    for (std::size_t j : rows) n += std::isfinite(y[d.row_ab(j, i)]) ? 1 : 0;
    out.rows_used = std::min(out.rows_used, n);
  }
  out.first.resize(k);
  out.total.resize(k);
  const Point p = estimate(d, y, rows);
  out.mean = p.mean;
  out.variance = p.variance;
  for (std::size_t i = 0; i < k; ++i) {
    out.first[i].value = p.first[i];
    out.total[i].value = p.total[i];
  }
  out.first_sum.value = p.first_sum;
  out.total_sum.value = p.total_sum;
  if (boot.resamples <= 0 || !std::isfinite(p.variance) || !std::isfinite(p.first_sum)) return out;

  // Percentile bootstrap over base samples (each keeps its k + 2 rows together).
  const auto nb = static_cast<std::size_t>(boot.resamples);
  std::vector<std::vector<double>> s1(k), st(k);
  std::vector<double> s1sum, stsum;
  SplitMix rng(hash64(boot.seed, 0xB0075u));
  std::vector<std::size_t> pick(rows.size());
  for (std::size_t b = 0; b < nb; ++b) {
    for (std::size_t& r : pick) r = rows[rng.below(rows.size())];
    const Point q = estimate(d, y, pick);
    for (std::size_t i = 0; i < k; ++i) {
      s1[i].push_back(q.first[i]);
      st[i].push_back(q.total[i]);
    }
    s1sum.push_back(q.first_sum);
    stsum.push_back(q.total_sum);
  }
  for (std::size_t i = 0; i < k; ++i) {
    std::tie(out.first[i].low, out.first[i].high) = percentile_interval(s1[i], boot.confidence);
    std::tie(out.total[i].low, out.total[i].high) = percentile_interval(st[i], boot.confidence);
  }
  std::tie(out.first_sum.low, out.first_sum.high) = percentile_interval(s1sum, boot.confidence);
  std::tie(out.total_sum.low, out.total_sum.high) = percentile_interval(stsum, boot.confidence);
  return out;
}

SobolIndices sobol_analysis(const Model& model, int inputs, std::size_t base, std::uint64_t seed,
                            const BootstrapOptions& bootstrap) {
  const SaltelliDesign d = saltelli_design(inputs, base, seed);
  return sobol_indices(d, evaluate_rows(model, d.points, inputs), bootstrap);
}

}  // namespace cdpsim::sensitivity
