#include "sim/sensitivity/estimate.hpp"

#include <algorithm>
#include <cmath>

namespace cdpsim::sensitivity {

std::vector<double> evaluate_rows(const Model& model, std::span<const double> points, int inputs) {
  const auto k = static_cast<std::size_t>(inputs);
  std::vector<double> y(points.size() / k);
  for (std::size_t r = 0; r < y.size(); ++r) y[r] = model(points.subspan(r * k, k));
  return y;
}

std::pair<double, double> percentile_interval(std::vector<double> samples, double confidence) {
  std::erase_if(samples, [](double v) { return !std::isfinite(v); });
  if (samples.empty()) return {kNaN, kNaN};
  std::sort(samples.begin(), samples.end());
  auto quantile = [&](double q) {
    const double pos = q * static_cast<double>(samples.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, samples.size() - 1);
    return samples[lo] + (pos - static_cast<double>(lo)) * (samples[hi] - samples[lo]);
  };
  const double tail = (1.0 - confidence) / 2.0;
  return {quantile(tail), quantile(1.0 - tail)};
}

}  // namespace cdpsim::sensitivity
