#include "sim/sensitivity/morris.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <tuple>

#include "sim/splitmix.hpp"

namespace cdpsim::sensitivity {

namespace {

struct Trajectory {
  std::vector<double> points;  // (k + 1) x k
  std::vector<int> changed;    // k + 1
};

Trajectory random_trajectory(int inputs, int levels, double delta, SplitMix& rng) {
  const auto k = static_cast<std::size_t>(inputs);
  Trajectory t;
  t.points.resize((k + 1) * k);
  t.changed.assign(k + 1, -1);
  std::vector<double> x(k);
  std::vector<int> dir(k);
  const auto lows = static_cast<std::uint64_t>(levels / 2);  // start levels with x + Delta <= 1
  for (std::size_t i = 0; i < k; ++i) {
    const double base = static_cast<double>(rng.below(lows)) / (levels - 1);
    dir[i] = rng.below(2) ? 1 : -1;
    x[i] = dir[i] > 0 ? base : base + delta;
  }
  std::vector<int> order(k);
  std::iota(order.begin(), order.end(), 0);
  for (std::size_t i = k; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  std::copy(x.begin(), x.end(), t.points.begin());
  for (std::size_t m = 1; m <= k; ++m) {
    const auto i = static_cast<std::size_t>(order[m - 1]);
    x[i] += dir[i] * delta;
    // Snap to the grid: the value is a level, free of accumulated rounding.
    x[i] = std::round(x[i] * (levels - 1)) / (levels - 1);
    t.changed[m] = order[m - 1];
    std::copy(x.begin(), x.end(), t.points.begin() + static_cast<std::ptrdiff_t>(m * k));
  }
  return t;
}

double trajectory_distance(const Trajectory& a, const Trajectory& b, std::size_t k) {
  double d = 0.0;
  for (std::size_t p = 0; p <= k; ++p)
    for (std::size_t q = 0; q <= k; ++q) {
      double s = 0.0;
      for (std::size_t i = 0; i < k; ++i) {
        const double e = a.points[p * k + i] - b.points[q * k + i];
        s += e * e;
      }
      d += std::sqrt(s);
    }
  return d;
}

// Greedy maximisation of sum over selected pairs of d^2 (Campolongo et al. 2007's criterion).
std::vector<std::size_t> select_spread(const std::vector<Trajectory>& cand, std::size_t r,
                                       std::size_t k) {
  const std::size_t m = cand.size();
  if (r >= m) {
    std::vector<std::size_t> all(m);
    std::iota(all.begin(), all.end(), 0);
    return all;
  }
  if (r == 1) return {0};
  std::vector<double> d2(m * m, 0.0);
  for (std::size_t a = 0; a < m; ++a)
    for (std::size_t b = a + 1; b < m; ++b) {
      const double d = trajectory_distance(cand[a], cand[b], k);
      d2[a * m + b] = d2[b * m + a] = d * d;
    }
  std::size_t best_a = 0, best_b = 1;
  for (std::size_t a = 0; a < m; ++a)
    for (std::size_t b = a + 1; b < m; ++b)
      if (d2[a * m + b] > d2[best_a * m + best_b]) best_a = a, best_b = b;
  std::vector<std::size_t> chosen = {best_a, best_b};
  std::vector<char> used(m, 0);
  used[best_a] = used[best_b] = 1;
  std::vector<double> gain(m, 0.0);  // sum of d^2 to the chosen set
  for (std::size_t c = 0; c < m; ++c) gain[c] = d2[c * m + best_a] + d2[c * m + best_b];
  while (chosen.size() < r) {
    std::size_t best = m;
    for (std::size_t c = 0; c < m; ++c)
      if (!used[c] && (best == m || gain[c] > gain[best])) best = c;
    chosen.push_back(best);
    used[best] = 1;
    for (std::size_t c = 0; c < m; ++c) gain[c] += d2[c * m + best];
  }
  return chosen;
}

// Elementary effects [trajectory][input]; NaN where either output of the step is not finite.
std::vector<std::vector<double>> elementary_effects(const MorrisDesign& d,
                                                    std::span<const double> y) {
  const auto k = static_cast<std::size_t>(d.inputs);
  std::vector<std::vector<double>> ee;
  for (std::size_t t = 0; t < d.trajectories; ++t) {
    std::vector<double> e(k, kNaN);
    for (std::size_t m = 1; m <= k; ++m) {
      const std::size_t row = t * d.steps() + m;
      const auto i = static_cast<std::size_t>(d.changed[row]);
      const double step = d.points[row * k + i] - d.points[(row - 1) * k + i];
      e[i] = (y[row] - y[row - 1]) / step;  // NaN propagates
    }
    ee.push_back(std::move(e));
  }
  return ee;
}

struct Moments {
  std::vector<double> mu, mu_star, sigma;
};

// Moments over the trajectories in `pick` (repeats allowed), each input over the trajectories
// where its effect is defined.
Moments moments(const std::vector<std::vector<double>>& ee, std::span<const std::size_t> pick,
                std::size_t k) {
  Moments m;
  m.mu.assign(k, kNaN);
  m.mu_star.assign(k, kNaN);
  m.sigma.assign(k, kNaN);
  for (std::size_t i = 0; i < k; ++i) {
    double s = 0.0, sa = 0.0, n = 0.0;
    for (std::size_t t : pick)
      if (std::isfinite(ee[t][i])) {
        s += ee[t][i];
        sa += std::fabs(ee[t][i]);
        n += 1.0;
      }
    if (n == 0) continue;
    m.mu[i] = s / n;
    m.mu_star[i] = sa / n;
    if (n >= 2) {
      double ss = 0.0;
      for (std::size_t t : pick)
        if (std::isfinite(ee[t][i])) ss += (ee[t][i] - m.mu[i]) * (ee[t][i] - m.mu[i]);
      m.sigma[i] = std::sqrt(ss / (n - 1.0));
    }
  }
  return m;
}

}  // namespace

std::size_t default_candidates(std::size_t r) {
  return std::max<std::size_t>(4 * r, std::min<std::size_t>(10 * r, 500));
}

MorrisDesign morris_design(int inputs, std::size_t trajectories, const MorrisOptions& o,
                           std::uint64_t seed) {
  if (inputs < 1) throw std::invalid_argument("Morris design: at least one input");
  if (trajectories < 1) throw std::invalid_argument("Morris design: at least one trajectory");
  if (o.levels < 2 || o.levels % 2 != 0)
    throw std::invalid_argument("Morris design: " + std::to_string(o.levels) +
                                " levels (allowed: an even number, at least 2; usually 4 or 6)");
  const std::size_t m = o.candidates ? o.candidates : default_candidates(trajectories);
  if (m < trajectories)
    throw std::invalid_argument("Morris design: fewer candidates (" + std::to_string(m) +
                                ") than trajectories (" + std::to_string(trajectories) + ")");
  MorrisDesign d;
  d.inputs = inputs;
  d.levels = o.levels;
  d.delta = o.levels / (2.0 * (o.levels - 1));
  d.trajectories = trajectories;
  d.candidates = m;
  SplitMix rng(hash64(seed, 0x403415u));
  std::vector<Trajectory> cand;
  cand.reserve(m);
  for (std::size_t c = 0; c < m; ++c)
    cand.push_back(random_trajectory(inputs, o.levels, d.delta, rng));
  const auto k = static_cast<std::size_t>(inputs);
  for (std::size_t c : select_spread(cand, trajectories, k)) {
    d.points.insert(d.points.end(), cand[c].points.begin(), cand[c].points.end());
    d.changed.insert(d.changed.end(), cand[c].changed.begin(), cand[c].changed.end());
  }
  return d;
}

MorrisIndices morris_indices(const MorrisDesign& d, std::span<const double> y,
                             const BootstrapOptions& boot) {
  if (y.size() != d.rows())
    throw std::invalid_argument("Morris indices: " + std::to_string(y.size()) +
                                " outputs for a design of " + std::to_string(d.rows()) + " rows");
  const auto k = static_cast<std::size_t>(d.inputs);
  const auto ee = elementary_effects(d, y);
  MorrisIndices out;
  out.trajectories_used = d.trajectories;
  for (std::size_t i = 0; i < k; ++i) {
    std::size_t n = 0;
    for (const auto& e : ee) n += std::isfinite(e[i]) ? 1 : 0;
    out.trajectories_used = std::min(out.trajectories_used, n);
  }
  out.mu.resize(k);
  out.mu_star.resize(k);
  out.sigma.resize(k);
  std::vector<std::size_t> traj(d.trajectories);
  std::iota(traj.begin(), traj.end(), 0);
  const Moments p = moments(ee, traj, k);
  for (std::size_t i = 0; i < k; ++i) {
    out.mu[i].value = p.mu[i];
    out.mu_star[i].value = p.mu_star[i];
    out.sigma[i].value = p.sigma[i];
  }
  if (boot.resamples <= 0 || traj.empty()) return out;
  std::vector<std::vector<double>> mu(k), mus(k), sg(k);
  SplitMix rng(hash64(boot.seed, 0xB0075u));
  std::vector<std::size_t> pick(traj.size());
  for (int b = 0; b < boot.resamples; ++b) {
    for (std::size_t& t : pick) t = rng.below(traj.size());
    const Moments q = moments(ee, pick, k);
    for (std::size_t i = 0; i < k; ++i) {
      mu[i].push_back(q.mu[i]);
      mus[i].push_back(q.mu_star[i]);
      sg[i].push_back(q.sigma[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    std::tie(out.mu[i].low, out.mu[i].high) = percentile_interval(mu[i], boot.confidence);
    std::tie(out.mu_star[i].low, out.mu_star[i].high) =
        percentile_interval(mus[i], boot.confidence);
    std::tie(out.sigma[i].low, out.sigma[i].high) = percentile_interval(sg[i], boot.confidence);
  }
  return out;
}

MorrisIndices morris_analysis(const Model& model, int inputs, std::size_t trajectories,
                              const MorrisOptions& options, std::uint64_t seed,
                              const BootstrapOptions& bootstrap) {
  const MorrisDesign d = morris_design(inputs, trajectories, options, seed);
  return morris_indices(d, evaluate_rows(model, d.points, inputs), bootstrap);
}

}  // namespace cdpsim::sensitivity
