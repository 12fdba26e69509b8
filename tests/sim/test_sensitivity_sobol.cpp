// The Sobol sequence, the Saltelli design and the S1 / ST estimators against functions whose
// indices are known in closed form: Ishigami (a = 7, b = 0.1) and the Sobol G-function
// (docs/sensitivity.md, "How the estimators are checked").
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <span>
#include <vector>

#include "sim/sensitivity/sobol_indices.hpp"
#include "sim/sensitivity/sobol_sequence.hpp"

using namespace cdpsim::sensitivity;
using Catch::Matchers::WithinAbs;

namespace {

constexpr double kPi = std::numbers::pi;

// Ishigami and Homma (1990) on [-pi, pi]^3, from u in [0, 1]^3.
double ishigami(std::span<const double> u, double a = 7.0, double b = 0.1) {
  const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
  return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
}

struct Analytic {
  std::vector<double> s1, st;
};

// V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V13 = 8 b^2 pi^8 / 225, V = V1 + V2 + V13.
Analytic ishigami_indices(double a = 7.0, double b = 0.1) {
  const double pi4 = std::pow(kPi, 4), pi8 = pi4 * pi4;
  const double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5);
  const double v2 = a * a / 8;
  const double v13 = 8 * b * b * pi8 / 225;
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

// Sobol's G-function: prod (|4 u_i - 2| + a_i) / (1 + a_i); inputs past a.size() are ignored.
struct GFunction {
  std::vector<double> a;
  double operator()(std::span<const double> u) const {
    double g = 1.0;
    for (std::size_t i = 0; i < a.size(); ++i) g *= (std::fabs(4 * u[i] - 2) + a[i]) / (1 + a[i]);
    return g;
  }
  // V_i = 1 / (3 (1 + a_i)^2); V = prod (1 + V_i) - 1; S1_i = V_i / V;
  // ST_i = V_i prod_{j != i} (1 + V_j) / V.
  [[nodiscard]] Analytic indices() const {
    std::vector<double> vi;
    double prod = 1.0;
    for (double ai : a) {
      vi.push_back(1.0 / (3.0 * (1 + ai) * (1 + ai)));
      prod *= 1 + vi.back();
    }
    const double v = prod - 1.0;
    Analytic r;
    for (double x : vi) {
      r.s1.push_back(x / v);
      r.st.push_back(x * prod / (1 + x) / v);
    }
    return r;
  }
};

const GFunction kG{{0.0, 1.0, 4.5, 9.0, 99.0, 99.0}};

}  // namespace

TEST_CASE("Unscrambled Sobol points are SciPy's (Joe-Kuo new-joe-kuo-6.21201)",
          "[unit][sensitivity]") {
  // scipy.stats.qmc.Sobol(64, scramble=False).random(1024), dimensions 0, 1, 2, 9, 35, 63.
  const std::vector<int> dims = {0, 1, 2, 9, 35, 63};
  const std::vector<std::pair<int, std::vector<double>>> expected = {
      {1, {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}},
      {2, {0.75, 0.25, 0.25, 0.75, 0.75, 0.75}},
      {5, {0.875, 0.875, 0.125, 0.125, 0.125, 0.625}},
      {13, {0.8125, 0.6875, 0.8125, 0.4375, 0.3125, 0.0625}},
      {700, {0.2802734375, 0.0986328125, 0.1376953125, 0.9345703125, 0.6787109375, 0.4365234375}},
      {1023, {0.0009765625, 0.7529296875, 0.6123046875, 0.8505859375, 0.8642578125, 0.0400390625}},
  };
  const std::vector<double> x = sobol_points(1024, 64, Scrambling::none, 0);
  for (const auto& [i, values] : expected) {
    const auto bits = sobol_point_bits(static_cast<std::uint64_t>(i), 64);
    for (std::size_t c = 0; c < dims.size(); ++c) {
      INFO("point " << i << ", dimension " << dims[c]);
      CHECK(x[static_cast<std::size_t>(i) * 64 + static_cast<std::size_t>(dims[c])] == values[c]);
      CHECK(bits[static_cast<std::size_t>(dims[c])] * 0x1p-32 == values[c]);
    }
  }
  // Every dimension at once: sum over j of (j + 1) x_j, exact in binary, from SciPy.
  const std::vector<std::pair<int, double>> weighted = {{1, 1040.0},          {2, 1012.5},
                                                        {5, 1083.0},          {13, 956.75},
                                                        {700, 1025.54296875}, {1023, 1174.546875}};
  for (const auto& [i, sum] : weighted) {
    double s = 0.0;
    for (int j = 0; j < 64; ++j)
      s += (j + 1) * x[static_cast<std::size_t>(i) * 64 + static_cast<std::size_t>(j)];
    INFO("point " << i);
    CHECK(s == sum);
  }
  CHECK(x[0] == 0.0);
  CHECK_THROWS_AS(sobol_points(4, 65, Scrambling::none, 0), std::invalid_argument);
  CHECK_THROWS_AS(sobol_points(4, 0, Scrambling::none, 0), std::invalid_argument);
}

TEST_CASE("Owen scrambling keeps the net structure and depends on the seed only",
          "[unit][sensitivity]") {
  const std::size_t n = 256;  // 2^8
  const int dims = 36;
  const std::vector<double> x = sobol_points(n, dims, Scrambling::owen, 42);
  for (double v : x) REQUIRE((v >= 0.0 && v < 1.0));
  // One point in each interval [j / n, (j + 1) / n) of every dimension.
  for (int d = 0; d < dims; ++d) {
    std::vector<int> count(n, 0);
    for (std::size_t i = 0; i < n; ++i) ++count[static_cast<std::size_t>(x[i * dims + d] * n)];
    INFO("dimension " << d);
    CHECK(std::count(count.begin(), count.end(), 1) == static_cast<long>(n));
  }
  // Dimensions 0 and 1 form a (0, 8, 2)-net: one point in every elementary box 2^-a x 2^-(8-a).
  for (int a = 0; a <= 8; ++a) {
    std::vector<int> count(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto bx = static_cast<std::size_t>(x[i * dims] * (1 << a));
      const auto by = static_cast<std::size_t>(x[i * dims + 1] * (1 << (8 - a)));
      ++count[(bx << (8 - a)) | by];
    }
    INFO("boxes of 2^-" << a << " x 2^-" << 8 - a);
    CHECK(std::count(count.begin(), count.end(), 1) == static_cast<long>(n));
  }
  CHECK(sobol_points(n, dims, Scrambling::owen, 42) == x);
  CHECK(sobol_points(n, dims, Scrambling::owen, 43) != x);
  CHECK(x[0] != 0.0);  // the origin is scrambled away
}

TEST_CASE("Saltelli design: blocks of A, AB_i and B", "[unit][sensitivity]") {
  const SaltelliDesign d = saltelli_design(4, 8, 5);
  REQUIRE(d.rows() == 8 * 6);
  for (std::size_t j = 0; j < d.base; ++j)
    for (int i = 0; i < 4; ++i)
      for (int c = 0; c < 4; ++c) {
        const double ab = d.row(d.row_ab(j, i))[static_cast<std::size_t>(c)];
        const double from =
            (c == i ? d.row(d.row_b(j)) : d.row(d.row_a(j)))[static_cast<std::size_t>(c)];
        CHECK(ab == from);
      }
  CHECK_THROWS_AS(saltelli_design(33, 8, 1), std::invalid_argument);
  CHECK_THROWS_AS(saltelli_design(3, 0, 1), std::invalid_argument);
}

TEST_CASE("Ishigami: S1 and ST match the analytic values", "[statistical][sensitivity]") {
  const Analytic truth = ishigami_indices();
  // The values quoted in the literature (a = 7, b = 0.1).
  CHECK_THAT(truth.s1[0], WithinAbs(0.3139, 1e-4));
  CHECK_THAT(truth.s1[1], WithinAbs(0.4424, 1e-4));
  CHECK_THAT(truth.st[0], WithinAbs(0.5576, 1e-4));
  CHECK_THAT(truth.st[2], WithinAbs(0.2437, 1e-4));
  const SobolIndices s =
      sobol_analysis([](std::span<const double> u) { return ishigami(u); }, 3, 8192, 11,
                     {.resamples = 200, .confidence = 0.95, .seed = 11});
  REQUIRE(s.rows_used == 8192);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("input " << i + 1 << ": S1 " << s.first[i].value << " [" << s.first[i].low << ", "
                  << s.first[i].high << "], ST " << s.total[i].value << " [" << s.total[i].low
                  << ", " << s.total[i].high << "]");
    CHECK_THAT(s.first[i].value, WithinAbs(truth.s1[i], 0.02));
    CHECK_THAT(s.total[i].value, WithinAbs(truth.st[i], 0.02));
    CHECK(s.first[i].low <= s.first[i].value);
    CHECK(s.first[i].value <= s.first[i].high);
    CHECK(s.total[i].high - s.total[i].low < 0.1);
  }
  // Sums: S1 adds to 1 minus the x1-x3 interaction; ST counts it twice.
  CHECK_THAT(s.first_sum.value, WithinAbs(truth.s1[0] + truth.s1[1], 0.03));
  CHECK_THAT(s.total_sum.value, WithinAbs(truth.st[0] + truth.st[1] + truth.st[2], 0.03));
  const double v = 49.0 / 8 + 0.1 * std::pow(kPi, 4) / 5 + 0.01 * std::pow(kPi, 8) / 18 + 0.5;
  CHECK_THAT(s.variance, WithinAbs(v, 0.05 * v));
}

TEST_CASE("G-function: S1 and ST match the analytic values, a dummy input gets 0",
          "[statistical][sensitivity]") {
  const Analytic truth = kG.indices();
  // Seven inputs: the six of the G-function and a dummy it ignores.
  const SobolIndices s = sobol_analysis([](std::span<const double> u) { return kG(u); }, 7, 4096, 3,
                                        {.resamples = 200, .confidence = 0.95, .seed = 3});
  for (std::size_t i = 0; i < 6; ++i) {
    INFO("input " << i << ": S1 " << s.first[i].value << " (analytic " << truth.s1[i] << "), ST "
                  << s.total[i].value << " (analytic " << truth.st[i] << ")");
    CHECK_THAT(s.first[i].value, WithinAbs(truth.s1[i], 0.01));
    CHECK_THAT(s.total[i].value, WithinAbs(truth.st[i], 0.01));
  }
  // The dummy: exactly no effect, so both estimators and their intervals are 0.
  CHECK(std::fabs(s.first[6].value) < 1e-12);
  CHECK(std::fabs(s.total[6].value) < 1e-12);
  CHECK(std::fabs(s.total[6].high) < 1e-12);
  // Every input with a real effect clears the dummy's interval.
  for (std::size_t i = 0; i < 4; ++i) CHECK(s.total[i].low > s.total[6].high);
}

TEST_CASE("Bootstrap intervals cover the analytic indices at about their nominal rate",
          "[statistical][sensitivity]") {
  // 40 independent scrambles at a small N: the 95% percentile intervals of ST_0, ST_1, S1_0 and
  // S1_1 of the G-function should cover the truth in most of them (QMC rows are not independent,
  // so the bootstrap is, if anything, conservative).
  const Analytic truth = kG.indices();
  int covered = 0, total = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const SobolIndices s =
        sobol_analysis([](std::span<const double> u) { return kG(u); }, 6, 256, seed,
                       {.resamples = 200, .confidence = 0.95, .seed = seed});
    for (std::size_t i = 0; i < 2; ++i) {
      covered += s.total[i].low <= truth.st[i] && truth.st[i] <= s.total[i].high;
      covered += s.first[i].low <= truth.s1[i] && truth.s1[i] <= s.first[i].high;
      total += 2;
    }
  }
  INFO(covered << " of " << total << " intervals cover");
  CHECK(covered >= static_cast<int>(0.85 * total));
}

TEST_CASE("Sobol indices: constant output, missing outputs and size checks",
          "[unit][sensitivity]") {
  const SaltelliDesign d = saltelli_design(2, 16, 1);
  std::vector<double> y(d.rows(), 3.0);
  const SobolIndices c = sobol_indices(d, y, {});
  CHECK(std::isnan(c.first[0].value));
  CHECK(std::isnan(c.total[1].high));
  CHECK(c.variance == 0.0);
  // A missing f(B_j) drops base sample j; a missing f(AB_j^i) drops it from input i's sums only.
  y = evaluate_rows([](std::span<const double> u) { return u[0] + 2 * u[1]; }, d.points, 2);
  y[d.row_ab(3, 1)] = std::nan("");
  y[d.row_b(7)] = std::nan("");
  const SobolIndices m = sobol_indices(d, y, {.resamples = 50, .confidence = 0.9, .seed = 1});
  CHECK(m.rows_used == 14);  // input 1: 16 - 1 (B_7) - 1 (AB_3^1)
  const SobolIndices whole = sobol_indices(d, y, {.resamples = 0, .confidence = 0.9, .seed = 1});
  CHECK(std::isfinite(whole.total[0].value));
  CHECK(std::isfinite(m.total[1].value));
  CHECK(m.total[1].value > m.total[0].value);
  CHECK_THROWS_AS(sobol_indices(d, std::vector<double>(5, 0.0), {}), std::invalid_argument);
}
