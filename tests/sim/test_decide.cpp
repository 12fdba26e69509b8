#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>

#include "sim/decide.hpp"
#include "sim/rng.hpp"

using namespace cdpsim;

namespace {
double reference_logistic(double z) { return 1.0 / (1.0 + std::exp(-z)); }
}  // namespace

TEST_CASE("exp_near is within 1e-9 of exp over its whole range", "[unit][decide]") {
  double worst = 0.0;
  const int n = 2000000;
  for (int j = 0; j <= n; ++j) {
    const double x = -700.0 + 1400.0 * j / n;
    worst = std::max(worst, std::fabs(exp_near(x) / std::exp(x) - 1.0));
  }
  for (double x : {0.0, -0.0, 1e-300, -1e-300, 0.34657359027997264, -0.34657359027997264,
                   0.6931471805599453, 700.0, -700.0, 1.0, -1.0}) {
    worst = std::max(worst, std::fabs(exp_near(x) / std::exp(x) - 1.0));
  }
  CHECK(worst < 1e-9);
  CHECK(exp_near(0.0) == 1.0);
}

TEST_CASE("below_logistic answers exactly as the logistic formula", "[unit][decide]") {
  const Rng rng(11);
  std::int64_t disagree = 0, trues = 0;
  const int n = 1000000;
  for (int j = 0; j < n; ++j) {
    const Uniform4 d = rng.uniforms(1, 2, static_cast<std::uint32_t>(j));
    const double z = -40.0 + 80.0 * d.u[1];
    const bool ref = d.u[0] < reference_logistic(z);
    trues += ref;
    disagree += below_logistic(d.u[0], z) != ref;
  }
  CHECK(disagree == 0);
  CHECK(trues > n / 4);  // the sample covers both answers
  CHECK(trues < 3 * n / 4);
  // Draws at the threshold and one step on either side: the reference decides.
  for (double z : {-30.0, -3.0, -0.5, 0.0, 1e-12, 0.7, 2.0, 25.0}) {
    const double p = reference_logistic(z);
    for (double u : {p, std::nextafter(p, 0.0), std::nextafter(p, 1.0), p - 5e-8, p + 5e-8,
                     p - 2e-7, p + 2e-7}) {
      CHECK(below_logistic(u, z) == (u < p));
    }
  }
  // Outside exp_near's range and non-finite arguments.
  for (double z :
       {-800.0, 800.0, -1e308, 1e308, double(INFINITY), -double(INFINITY), double(NAN)}) {
    for (double u : {1e-300, 1e-10, 0.5, 1.0 - 1e-10})
      CHECK(below_logistic(u, z) == (u < reference_logistic(z)));
  }
}

TEST_CASE("poisson_near returns exactly poisson_from's count", "[unit][decide]") {
  const Rng rng(5);
  const double lambdas[] = {-1.0, 0.0,  1e-9,  0.0063, 0.0063 * 3.7, 0.425, 1.6,  1.6 * 4.2,
                            5.0,  29.9, 100.0, 650.0,  699.9,        700.0, 750.0};
  std::int64_t disagree = 0, nonzero = 0;
  for (double lambda : lambdas) {
    for (int j = 0; j < 50000; ++j) {
      const double u = rng.uniform(3, 4, static_cast<std::uint32_t>(j));
      const int ref = poisson_from(u, lambda);
      nonzero += ref > 0;
      disagree += poisson_near(u, lambda) != ref;
    }
    // Draws at each step's cumulative sum, and one step on either side.
    if (lambda <= 0.0 || lambda > 50.0) continue;
    double p = std::exp(-lambda), cdf = p;
    for (int k = 0; k < 60 && cdf < 1.0; ++k) {
      for (double u : {cdf, std::nextafter(cdf, 0.0), std::nextafter(cdf, 1.0), cdf * (1 - 5e-8),
                       cdf * (1 + 5e-8)}) {
        if (u <= 0.0 || u >= 1.0) continue;
        CHECK(poisson_near(u, lambda) == poisson_from(u, lambda));
      }
      p *= lambda / (k + 1);
      cdf += p;
    }
  }
  CHECK(disagree == 0);
  CHECK(nonzero > 100000);
  // The cap at 200 and draws next to 1.
  for (double u : {1.0 - 1e-10, 1.0 - 1e-16, 0.999999}) {
    for (double lambda : {0.0063, 1.6, 150.0})
      CHECK(poisson_near(u, lambda) == poisson_from(u, lambda));
  }
}
