#include "sim/stats.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace cdpsim::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Continued fraction of I_x(a, b) (modified Lentz; Numerical Recipes, 3rd ed., section 6.4).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300, kEps = 1e-16;
  constexpr int kMaxIterations = 10000;
  const double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < kEps) break;
  }
  return h;
}

// I_x(a, b) with y = 1 - x passed separately, so that x close to 1 keeps its precision.
double incomplete_beta_xy(double a, double b, double x, double y) {
  if (x <= 0.0) return 0.0;
  if (y <= 0.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log(y);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, y) / b;
}

// P(T > t) for t >= 0, without the cancellation of 1 - cdf.
double upper_tail(double t, double df) {
  const double t2 = t * t;
  const double x = df / (df + t2), y = t2 / (df + t2);
  return 0.5 * incomplete_beta_xy(0.5 * df, 0.5, x, y);
}

void check_df(double df) {
  if (!(df > 0.0)) throw std::invalid_argument("Student t: degrees of freedom must be > 0");
}

}  // namespace

double incomplete_beta(double a, double b, double x) {
  if (!(a > 0.0) || !(b > 0.0) || !(x >= 0.0 && x <= 1.0))
    throw std::invalid_argument("incomplete_beta: needs a, b > 0 and x in [0, 1]");
  return incomplete_beta_xy(a, b, x, 1.0 - x);
}

double student_t_cdf(double t, double df) {
  check_df(df);
  if (std::isnan(t)) return kNaN;
  if (std::isinf(t)) return t > 0 ? 1.0 : 0.0;
  return t >= 0.0 ? 1.0 - upper_tail(t, df) : upper_tail(-t, df);
}

double student_t_quantile(double p, double df) {
  check_df(df);
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("student_t_quantile: needs p in (0, 1)");
  if (p < 0.5) return -student_t_quantile(1.0 - p, df);
  const double tail = 1.0 - p;  // exact for p >= 0.5
  // Bisection on the decreasing upper tail: slow but sure, and only called a few times per table.
  double lo = 0.0, hi = 1.0;
  while (upper_tail(hi, df) > tail) {
    lo = hi;
    hi *= 2.0;
  }
  for (int i = 0; i < 2000 && hi - lo > 4 * std::numeric_limits<double>::epsilon() * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (upper_tail(mid, df) > tail ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Summary summarize(std::span<const double> x, double confidence) {
  Summary s;
  s.n = x.size();
  if (s.n == 0) throw std::invalid_argument("summarize: empty sample");
  double sum = 0.0;
  for (double v : x) sum += v;
  s.mean = sum / static_cast<double>(s.n);
  if (s.n < 2) {
    s.sd = s.ci_low = s.ci_high = kNaN;
    return s;
  }
  double ss = 0.0;  // two passes: no cancellation for large means
  for (double v : x) ss += (v - s.mean) * (v - s.mean);
  s.sd = std::sqrt(ss / static_cast<double>(s.n - 1));
  const double q = student_t_quantile(0.5 + 0.5 * confidence, static_cast<double>(s.n - 1));
  const double half = q * s.sd / std::sqrt(static_cast<double>(s.n));
  s.ci_low = s.mean - half;
  s.ci_high = s.mean + half;
  return s;
}

PairedTest paired_t_test(std::span<const double> a, std::span<const double> b, double confidence) {
  if (a.size() != b.size()) throw std::invalid_argument("paired_t_test: samples of unequal size");
  if (a.size() < 2) throw std::invalid_argument("paired_t_test: needs at least 2 pairs");
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  const Summary s = summarize(d, confidence);
  PairedTest r;
  r.n = s.n;
  r.df = static_cast<double>(s.n - 1);
  r.mean_diff = s.mean;
  r.sd_diff = s.sd;
  r.ci_low = s.ci_low;
  r.ci_high = s.ci_high;
  bool constant = true;
  for (double v : d) constant = constant && v == d[0];
  if (constant) {  // sd = 0 (tested on the values: a rounded mean could leave a tiny spread)
    r.sd_diff = 0.0;
    r.ci_low = r.ci_high = r.mean_diff = d[0];
    r.t = r.effect_size = kNaN;
    const double c = d[0];
    r.p_two_sided = c == 0.0 ? 1.0 : 0.0;
    r.p_greater = c > 0.0 ? 0.0 : 1.0;
    r.p_less = c < 0.0 ? 0.0 : 1.0;
    return r;
  }
  r.t = s.mean / (s.sd / std::sqrt(static_cast<double>(s.n)));
  r.effect_size = s.mean / s.sd;
  r.p_greater = student_t_cdf(-r.t, r.df);
  r.p_less = student_t_cdf(r.t, r.df);
  r.p_two_sided = std::fmin(1.0, 2.0 * student_t_cdf(-std::fabs(r.t), r.df));
  return r;
}

}  // namespace cdpsim::stats
