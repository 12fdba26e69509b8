// Morris screening on a function with known linear, non-linear, interacting and inert inputs
// (docs/sensitivity.md, "How the estimators are checked").
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <span>
#include <vector>

#include "sim/sensitivity/morris.hpp"

using namespace cdpsim::sensitivity;
using Catch::Matchers::WithinAbs;

namespace {

// x0 linear (every elementary effect is 8), x1 non-linear (4 x1^2: effects 8/3 or 16/3 at
// p = 4, mean 4), x2 and x3 interacting (2 x2 x3: the effect of one is twice the other, mean 1),
// x4 inert.
double screening_function(std::span<const double> x) {
  return 8 * x[0] + 4 * x[1] * x[1] + 2 * x[2] * x[3];
}

double spread(const MorrisDesign& d) {
  const auto k = static_cast<std::size_t>(d.inputs), s = d.steps();
  double total = 0.0;
  for (std::size_t a = 0; a < d.trajectories; ++a)
    for (std::size_t b = a + 1; b < d.trajectories; ++b) {
      double dist = 0.0;
      for (std::size_t p = 0; p < s; ++p)
        for (std::size_t q = 0; q < s; ++q) {
          double ss = 0.0;
          for (std::size_t i = 0; i < k; ++i) {
            const double e = d.points[(a * s + p) * k + i] - d.points[(b * s + q) * k + i];
            ss += e * e;
          }
          dist += std::sqrt(ss);
        }
      total += dist * dist;
    }
  return std::sqrt(total);
}

}  // namespace

TEST_CASE("Morris design: grid, one step per input, spread-out trajectories",
          "[unit][sensitivity]") {
  const MorrisDesign d = morris_design(5, 10, {.levels = 4, .candidates = 0}, 7);
  REQUIRE(d.rows() == 10 * 6);
  CHECK(d.candidates == 100);
  CHECK_THAT(d.delta, WithinAbs(2.0 / 3.0, 1e-15));
  for (std::size_t t = 0; t < d.trajectories; ++t) {
    std::set<int> moved;
    for (std::size_t m = 0; m < d.steps(); ++m) {
      const std::size_t row = t * d.steps() + m;
      for (int i = 0; i < 5; ++i) {
        const double v = d.points[row * 5 + static_cast<std::size_t>(i)];
        CHECK((v >= 0.0 && v <= 1.0));
        CHECK_THAT(v * 3 - std::round(v * 3), WithinAbs(0.0, 1e-12));  // on the 4-level grid
      }
      if (m == 0) {
        CHECK(d.changed[row] == -1);
        continue;
      }
      const int i = d.changed[row];
      moved.insert(i);
      for (int c = 0; c < 5; ++c) {
        const double diff = d.points[row * 5 + static_cast<std::size_t>(c)] -
                            d.points[(row - 1) * 5 + static_cast<std::size_t>(c)];
        CHECK_THAT(std::fabs(diff), WithinAbs(c == i ? d.delta : 0.0, 1e-12));
      }
    }
    CHECK(moved.size() == 5);
  }
  // Choosing 10 of 100 candidates spreads them more than taking the first 10 as they come.
  const MorrisDesign plain = morris_design(5, 10, {.levels = 4, .candidates = 10}, 7);
  CHECK(spread(d) > spread(plain));
  CHECK(morris_design(5, 10, {.levels = 4, .candidates = 0}, 7).points == d.points);
  CHECK_THROWS_AS(morris_design(5, 10, {.levels = 3, .candidates = 0}, 7), std::invalid_argument);
  CHECK_THROWS_AS(morris_design(5, 10, {.levels = 4, .candidates = 5}, 7), std::invalid_argument);
  CHECK_THROWS_AS(morris_design(0, 10, {}, 7), std::invalid_argument);
}

TEST_CASE("Morris ranks linear, non-linear, interacting and inert inputs",
          "[statistical][sensitivity]") {
  const MorrisIndices m = morris_analysis(screening_function, 5, 40, {.levels = 4, .candidates = 0},
                                          9, {.resamples = 200, .confidence = 0.95, .seed = 9});
  REQUIRE(m.trajectories_used == 40);
  // Linear: every effect is exactly 8, so mu = mu* = 8 and sigma = 0.
  CHECK_THAT(m.mu[0].value, WithinAbs(8.0, 1e-9));
  CHECK_THAT(m.mu_star[0].value, WithinAbs(8.0, 1e-9));
  CHECK_THAT(m.sigma[0].value, WithinAbs(0.0, 1e-9));
  // Non-linear: effects 8/3 and 16/3, mean 4 when both start levels are equally likely.
  CHECK_THAT(m.mu_star[1].value, WithinAbs(4.0, 0.7));
  CHECK(m.sigma[1].value > 0.8);
  // Interacting: mean 1, spread by the other input's level.
  CHECK_THAT(m.mu_star[2].value, WithinAbs(1.0, 0.35));
  CHECK(m.sigma[2].value > 0.3);
  // Inert: nothing at all.
  CHECK(m.mu_star[4].value == 0.0);
  CHECK(m.mu_star[4].high == 0.0);
  CHECK(m.sigma[4].value == 0.0);
  // The ranking by mu*: x0 > x1 > x2, x3 > x4, each gap clear of the intervals.
  CHECK(m.mu_star[0].low > m.mu_star[1].high);
  CHECK(m.mu_star[1].low > std::max(m.mu_star[2].high, m.mu_star[3].high));
  CHECK(std::min(m.mu_star[2].low, m.mu_star[3].low) > m.mu_star[4].high);
  // mu* is linear in the output: scaling f scales it.
  const MorrisIndices twice = morris_analysis(
      [](std::span<const double> x) { return 2 * screening_function(x); }, 5, 40,
      {.levels = 4, .candidates = 0}, 9, {.resamples = 0, .confidence = 0.95, .seed = 9});
  CHECK_THAT(twice.mu_star[1].value, WithinAbs(2 * m.mu_star[1].value, 1e-9));
  CHECK(std::isnan(twice.mu_star[1].low));
}

TEST_CASE("Morris: a trajectory with a missing output is left out", "[unit][sensitivity]") {
  const MorrisDesign d = morris_design(3, 6, {.levels = 6, .candidates = 0}, 1);
  CHECK_THAT(d.delta, WithinAbs(0.6, 1e-15));
  std::vector<double> y =
      evaluate_rows([](std::span<const double> x) { return x[0] - x[2]; }, d.points, 3);
  y[2 * d.steps() + 1] = std::nan("");
  const MorrisIndices m = morris_indices(d, y, {.resamples = 20, .confidence = 0.95, .seed = 1});
  CHECK(m.trajectories_used == 5);
  CHECK_THAT(m.mu[0].value, WithinAbs(1.0, 1e-9));
  CHECK_THAT(m.mu[2].value, WithinAbs(-1.0, 1e-9));
  CHECK_THAT(m.mu_star[1].value, WithinAbs(0.0, 1e-12));
}
