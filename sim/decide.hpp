// Decisions against a uniform draw that give exactly the answer of the reference formula
// (`u < 1 / (1 + exp(-z))`, and poisson_from's inversion) but usually without calling exp.
//
// The member sweep makes two such decisions per membership and week; glibc's exp with its call
// was about a tenth of the sweep's instructions. Here an inline exp with a relative error below
// 1e-9 decides every case whose draw lies farther than a margin of 1e-7 from the threshold; the
// few cases inside the margin (about 2 in 10 million) go through the reference formula. The
// answers, and therefore every trajectory, are those of the reference (tests/sim/test_decide.cpp).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

#include "sim/rng.hpp"

namespace cdpsim {

// exp(x) for |x| <= 700 with a relative error below 1e-9 (Cody-Waite reduction to |r| <= ln2/2,
// then the degree-8 Taylor polynomial, whose remainder is below 2.1e-10). Outside that range the
// result is meaningless: callers test the range first.
inline double exp_near(double x) {
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // fdlibm's split of ln 2
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kShifter = 0x1.8p52;  // adding it rounds to an integer held in the low bits
  const double t = x * kLog2e + kShifter;
  const std::int64_t k = std::bit_cast<std::int64_t>(t) - std::bit_cast<std::int64_t>(kShifter);
  const double kd = t - kShifter;
  const double r = (x - kd * kLn2Hi) - kd * kLn2Lo;
  double p = 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const double scale = std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
  return p * scale;
}

namespace decide_detail {
constexpr double kMargin = 1e-7;  // far above exp_near's error, far below any model probability
constexpr double kRange = 700.0;  // exp_near's range
}  // namespace decide_detail

// Exactly `u < 1.0 / (1.0 + std::exp(-z))` (participation.hpp's logistic).
inline bool below_logistic(double u, double z) {
  using namespace decide_detail;
  if (std::fabs(z) < kRange) {  // false for NaN: the reference decides
    const double p = 1.0 / (1.0 + exp_near(-z));
    if (u < p - kMargin) return true;
    if (u > p + kMargin) return false;
  }
  return u < 1.0 / (1.0 + std::exp(-z));
}

// Exactly poisson_from(u, lambda) (sim/rng.hpp): the same inversion with exp_near's start; each
// step's comparison is decided by the approximate cumulative sum when the draw is clear of it by a
// relative margin, otherwise the reference inversion decides.
inline int poisson_near(double u, double lambda) {
  using namespace decide_detail;
  if (lambda <= 0.0) return 0;
  if (!(lambda < kRange)) return poisson_from(u, lambda);
  double p = exp_near(-lambda);
  double cdf = p;
  int k = 0;
  for (;;) {
    if (u <= cdf * (1.0 - kMargin)) return k;                       // u <= the exact sum: stop
    if (u < cdf * (1.0 + kMargin)) return poisson_from(u, lambda);  // too close to call
    if (k >= 200) return k;                                         // the reference's cap
    ++k;
    p *= lambda / k;
    cdf += p;
  }
}

}  // namespace cdpsim
