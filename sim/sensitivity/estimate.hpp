// What every sensitivity estimator returns and takes: an estimate with its bootstrap percentile
// interval, the bootstrap settings, and the model as a function of a point in [0, 1]^k.
// Nothing here knows about the simulator: the same estimators run on analytic test functions
// (tests/sim/test_sensitivity_*.cpp) and on cdpsim scenarios
// (experiments/sensitivity/sensitivity.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

namespace cdpsim::sensitivity {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A point estimate and its bootstrap percentile interval; NaN when it cannot be estimated (a
// constant output, too few usable rows).
struct Estimate {
  double value = kNaN;
  double low = kNaN;
  double high = kNaN;
};

struct BootstrapOptions {
  int resamples = 200;       // 0: no interval (low = high = NaN)
  double confidence = 0.95;  // percentile interval [(1 - c) / 2, (1 + c) / 2]
  std::uint64_t seed = 1;    // the resampling depends on this seed only
};

// The model: one output for one point (a row of k values in [0, 1]).
using Model = std::function<double(std::span<const double>)>;

// Evaluates `model` on every row of a row-major matrix with `inputs` columns.
std::vector<double> evaluate_rows(const Model& model, std::span<const double> points, int inputs);

// The percentile interval of a bootstrap sample (NaN entries ignored; linear interpolation
// between order statistics, as numpy.percentile). {NaN, NaN} when no value is finite.
std::pair<double, double> percentile_interval(std::vector<double> samples, double confidence);

}  // namespace cdpsim::sensitivity
