#include <catch2/catch.hpp>
#include <cmath>

#include "sim/rng.hpp"

using namespace cdpsim;

TEST_CASE("Philox uniforms have the moments of U(0,1)", "[unit][statistical][rng]") {
  const Rng rng(42);
  const int n = 200000;
  double s = 0, s2 = 0;
  for (int i = 0; i < n / 4; ++i) {
    const Uniform4 u = rng.uniforms(10, 3, static_cast<std::uint32_t>(i));
    for (double x : u.u) {
      REQUIRE(x > 0.0);
      REQUIRE(x < 1.0);
      s += x;
      s2 += x * x;
    }
  }
  const double mean = s / n, var = s2 / n - mean * mean;
  // SE of the mean of U(0,1) is sqrt(1/12 / n).
  CHECK(std::fabs(mean - 0.5) < 4 * std::sqrt(1.0 / 12 / n));
  CHECK(std::fabs(var - 1.0 / 12) < 4 * std::sqrt(1.0 / 180 / n));
}

TEST_CASE("A draw depends only on its key and counter", "[unit][rng]") {
  const Rng a(7), b(7), c(8);
  const auto x = a.uniforms(12, 10, 99, 2);
  const auto y = b.uniforms(12, 10, 99, 2);
  for (int k = 0; k < 4; ++k) CHECK(x.u[k] == y.u[k]);
  CHECK(c.uniform(12, 10, 99, 2) != x.u[0]);
  CHECK(a.uniform(12, 11, 99, 2) != x.u[0]);
  CHECK(a.uniform(10, 10, 99, 2) != x.u[0]);
  CHECK(a.uniform(12, 10, 98, 2) != x.u[0]);
}

TEST_CASE("Poisson by inversion and by normal approximation have the right mean",
          "[unit][statistical][rng]") {
  const Rng rng(3);
  for (double lambda : {0.0, 0.05, 0.7, 4.0, 80.0}) {
    const int n = 40000;
    double s = 0;
    for (int i = 0; i < n; ++i) {
      const auto u = rng.uniforms(13, 0, static_cast<std::uint32_t>(i));
      s += poisson_from(u.u[0], lambda, u.u[1], u.u[2]);
    }
    const double se = std::sqrt(std::max(lambda, 1e-12) / n);
    INFO("lambda " << lambda);
    if (lambda == 0.0) {
      CHECK(s == 0.0);
    } else {
      CHECK(std::fabs(s / n - lambda) < 4 * se);
    }
  }
}

TEST_CASE("bounded_from keeps its mean exactly and stays in [0, 1]", "[unit][rng]") {
  for (double mean : {0.0, 0.1, 0.5, 0.9, 1.0}) {
    CHECK(bounded_from(0.5, mean, 0.8) == Approx(mean).margin(1e-15));
    CHECK(bounded_from(0.0, mean, 1.0) >= 0.0);
    CHECK(bounded_from(1.0, mean, 1.0) <= 1.0);
    // Symmetric around the mean: u and 1-u average to it.
    CHECK(0.5 * (bounded_from(0.2, mean, 0.7) + bounded_from(0.8, mean, 0.7)) ==
          Approx(mean).margin(1e-12));
  }
}
