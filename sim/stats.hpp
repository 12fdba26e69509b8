// Small-sample statistics for comparing scenarios (`cdpsim compare`): Student t distribution,
// t-based confidence intervals and the paired t-test. Written here because Debian packages no C++
// statistics library; checked against SciPy's values in tests/sim/test_stats.cpp.
//
//   Summary s = summarize(values);                 // mean and its 95% CI
//   PairedTest d = paired_t_test(other, baseline);  // other - baseline, paired by replicate
#pragma once

#include <cstddef>
#include <span>

namespace cdpsim::stats {

// Regularized incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1] (continued
// fraction, relative error about 1e-14).
double incomplete_beta(double a, double b, double x);

// P(T <= t) for Student's t with `df` > 0 degrees of freedom.
double student_t_cdf(double t, double df);
// The t with P(T <= t) = p, for p in (0, 1); e.g. student_t_quantile(0.975, 9) = 2.262157...
double student_t_quantile(double p, double df);

// Mean of a sample and the t-based confidence interval of the mean. With n = 1 the standard
// deviation and the interval are NaN (no spread can be estimated).
struct Summary {
  std::size_t n = 0;
  double mean = 0.0;
  double sd = 0.0;  // sample standard deviation (n - 1 in the denominator)
  double ci_low = 0.0;
  double ci_high = 0.0;
};
Summary summarize(std::span<const double> x, double confidence = 0.95);

// Paired t-test of d_i = a_i - b_i (a and b the same length, at least 2).
//  - ci: t-based interval of the mean difference;
//  - effect_size: Cohen's d_z = mean(d) / sd(d);
//  - p values: two-sided (mean(d) != 0), and one-sided for mean(d) > 0 and mean(d) < 0.
// When every d_i is equal (sd = 0) the test is degenerate: the interval is that value, d_z is
// NaN, and the p values are exact (1 when the difference is 0; 0 or 1 one-sided, 0 two-sided
// otherwise): a constant difference under common random numbers is certain, not noise.
struct PairedTest {
  std::size_t n = 0;
  double mean_diff = 0.0;
  double sd_diff = 0.0;
  double ci_low = 0.0;
  double ci_high = 0.0;
  double t = 0.0;  // NaN when sd = 0
  double df = 0.0;
  double effect_size = 0.0;
  double p_two_sided = 1.0;
  double p_greater = 0.5;
  double p_less = 0.5;
};
PairedTest paired_t_test(std::span<const double> a, std::span<const double> b,
                         double confidence = 0.95);

}  // namespace cdpsim::stats
