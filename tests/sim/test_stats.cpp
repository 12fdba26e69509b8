// The statistics behind `cdpsim compare`, against reference values computed with mpmath at 40
// digits (the same definitions: betainc, the t CDF through it, findroot for quantiles). SciPy
// 1.10 agrees to about 1e-11: its t.ppf is the least accurate of the three.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "sim/stats.hpp"

using namespace cdpsim::stats;
using Catch::Matchers::WithinRel;

TEST_CASE("Regularized incomplete beta matches 40-digit references", "[unit][stats]") {
  CHECK_THAT(incomplete_beta(2, 3, 0.4), WithinRel(0.5247999999999999, 1e-12));
  CHECK_THAT(incomplete_beta(0.5, 5, 0.9), WithinRel(0.9999974294103008, 1e-12));
  CHECK_THAT(incomplete_beta(10, 0.5, 0.99), WithinRel(0.6579281751567843, 1e-12));
  CHECK_THAT(incomplete_beta(1.5, 2.5, 0.01), WithinRel(0.003364802341915999, 1e-12));
  CHECK(incomplete_beta(2, 3, 0.0) == 0.0);
  CHECK(incomplete_beta(2, 3, 1.0) == 1.0);
  CHECK_THROWS(incomplete_beta(0, 3, 0.5));
}

TEST_CASE("Student t CDF matches 40-digit references, tails included", "[unit][stats]") {
  CHECK_THAT(student_t_cdf(2.0, 5), WithinRel(0.9490302605850709, 1e-12));
  CHECK_THAT(student_t_cdf(-1.5, 3), WithinRel(0.11529193262241141, 1e-12));
  CHECK_THAT(student_t_cdf(0.3, 12), WithinRel(0.6153447629558738, 1e-12));
  CHECK_THAT(student_t_cdf(8.0, 2), WithinRel(0.9923659639173309, 1e-12));
  CHECK_THAT(student_t_cdf(-12.0, 40), WithinRel(3.912085652127985e-15, 1e-9));
  CHECK(student_t_cdf(0.0, 7) == 0.5);
}

TEST_CASE("Student t quantiles match 40-digit references", "[unit][stats]") {
  CHECK_THAT(student_t_quantile(0.975, 9), WithinRel(2.2621571627982050, 1e-12));
  CHECK_THAT(student_t_quantile(0.975, 1), WithinRel(12.706204736174693, 1e-12));
  CHECK_THAT(student_t_quantile(0.975, 2), WithinRel(4.3026527297494618, 1e-12));
  CHECK_THAT(student_t_quantile(0.975, 30), WithinRel(2.0422724563012379, 1e-12));
  CHECK_THAT(student_t_quantile(0.995, 4), WithinRel(4.6040948713499920, 1e-12));
  CHECK_THAT(student_t_quantile(0.9, 100), WithinRel(1.2900747613465161, 1e-12));
  CHECK_THAT(student_t_quantile(0.975, 1000), WithinRel(1.9623390808264081, 1e-12));
  CHECK_THAT(student_t_quantile(0.025, 9), WithinRel(-2.2621571627982050, 1e-12));
}

// A hand-checkable fixture: six replicates of two scenarios.
const std::vector<double> kOther = {12.0, 15.5, 9.0, 14.0, 11.0, 13.5};
const std::vector<double> kBase = {10.0, 14.0, 9.5, 11.0, 10.0, 12.0};

TEST_CASE("Mean and t confidence interval of a sample", "[unit][stats]") {
  const Summary s = summarize(kOther);
  CHECK(s.n == 6);
  CHECK(s.mean == 12.5);
  CHECK_THAT(s.sd, WithinRel(2.32379000772445, 1e-12));
  CHECK_THAT(s.ci_low, WithinRel(10.061331946259797, 1e-12));
  CHECK_THAT(s.ci_high, WithinRel(14.938668053740203, 1e-12));
  const Summary one = summarize(std::vector<double>{3.0});
  CHECK(one.mean == 3.0);
  CHECK(std::isnan(one.ci_low));
}

TEST_CASE("Paired t-test of a known fixture", "[unit][stats]") {
  // d = {2, 1.5, -0.5, 3, 1, 1.5}: mean 17/12, sd 1.1583..., t = 2.9959, df = 5.
  const PairedTest p = paired_t_test(kOther, kBase);
  CHECK(p.n == 6);
  CHECK(p.df == 5);
  CHECK_THAT(p.mean_diff, WithinRel(17.0 / 12.0, 1e-14));
  CHECK_THAT(p.sd_diff, WithinRel(1.1583033569262704, 1e-12));
  CHECK_THAT(p.t, WithinRel(2.995856351613526, 1e-12));
  CHECK_THAT(p.ci_low, WithinRel(0.20110184209707939, 1e-12));
  CHECK_THAT(p.ci_high, WithinRel(2.6322314912362539, 1e-12));
  CHECK_THAT(p.effect_size, WithinRel(1.2230532340215274, 1e-12));
  CHECK_THAT(p.p_two_sided, WithinRel(0.03024293910122357, 1e-10));
  CHECK_THAT(p.p_greater, WithinRel(0.015121469550611786, 1e-10));
  CHECK_THAT(p.p_less, WithinRel(0.9848785304493882, 1e-12));
}

TEST_CASE("Identical paired samples: difference exactly 0, interval contains 0", "[unit][stats]") {
  const PairedTest p = paired_t_test(kBase, kBase);
  CHECK(p.mean_diff == 0.0);
  CHECK(p.ci_low <= 0.0);
  CHECK(p.ci_high >= 0.0);
  CHECK(p.p_two_sided == 1.0);
  CHECK(p.p_greater == 1.0);
  CHECK(std::isnan(p.effect_size));
}

TEST_CASE("A constant nonzero difference is certain", "[unit][stats]") {
  std::vector<double> shifted = kBase;
  for (double& v : shifted) v += 0.5;  // exact in binary: every difference is 0.5
  const PairedTest p = paired_t_test(shifted, kBase);
  CHECK(p.sd_diff == 0.0);
  CHECK(p.p_greater == 0.0);
  CHECK(p.p_less == 1.0);
  CHECK(p.p_two_sided == 0.0);
  CHECK(p.ci_low == p.ci_high);
  CHECK_THROWS(paired_t_test(std::vector<double>{1.0}, std::vector<double>{2.0}));
}
