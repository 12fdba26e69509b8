// Variance-based sensitivity indices (Sobol 1993): first-order S1 and total ST of each input,
// estimated on a Saltelli design (docs/sensitivity.md, "Sobol indices").
//
//   SaltelliDesign d = saltelli_design(3, 1024, /*seed=*/7);   // 1024 x (3 + 2) rows
//   std::vector<double> y = evaluate_rows(ishigami, d.points, 3);
//   SobolIndices s = sobol_indices(d, y, {.resamples = 200, .seed = 7});
//   s.total[0].value;   // ST of input 0; s.total[0].low, .high: its 95% bootstrap interval
//
// Design: two independent N x k matrices A and B are the first and last k columns of an
// Owen-scrambled Sobol sample in 2k dimensions; AB_i is A with column i taken from B. The rows of
// base sample j are stored together, j * (k + 2) + {0: A_j, 1 + i: AB_j^i, k + 1: B_j}, so the
// model runs N (k + 2) times and a bootstrap resamples blocks j.
//
// Estimators, with V the variance of f over the rows of A and B together:
//   S1_i = mean_j f(B_j) (f(AB_j^i) - f(A_j)) / V          (Saltelli et al. 2010, table 2 (b))
//   ST_i = mean_j (f(A_j) - f(AB_j^i))^2 / (2 V)           (Jansen 1999)
// f is centred on the mean of f(A) and f(B) first: the indices do not change, the S1 estimator's
// variance drops when the mean is large against the spread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/sensitivity/estimate.hpp"
#include "sim/sensitivity/sobol_sequence.hpp"

namespace cdpsim::sensitivity {

struct SaltelliDesign {
  int inputs = 0;              // k
  std::size_t base = 0;        // N
  std::vector<double> points;  // rows() x k, row-major

  [[nodiscard]] std::size_t block() const { return static_cast<std::size_t>(inputs) + 2; }
  [[nodiscard]] std::size_t rows() const { return base * block(); }
  [[nodiscard]] std::size_t row_a(std::size_t j) const { return j * block(); }
  [[nodiscard]] std::size_t row_ab(std::size_t j, int i) const {
    return j * block() + 1 + static_cast<std::size_t>(i);
  }
  [[nodiscard]] std::size_t row_b(std::size_t j) const { return j * block() + block() - 1; }
  [[nodiscard]] std::span<const double> row(std::size_t r) const {
    return std::span<const double>(points).subspan(r * static_cast<std::size_t>(inputs),
                                                   static_cast<std::size_t>(inputs));
  }
};

// The design over `inputs` inputs in [0, 1] (1 <= inputs <= kSobolMaxDimensions / 2) with
// `base` >= 1 base samples (powers of two balance best). Throws std::invalid_argument.
SaltelliDesign saltelli_design(int inputs, std::size_t base, std::uint64_t seed,
                               Scrambling scrambling = Scrambling::owen);

struct SobolIndices {
  std::vector<Estimate> first;  // S1 per input
  std::vector<Estimate> total;  // ST per input
  Estimate first_sum;           // sum of S1 over inputs (<= 1 up to estimation error)
  Estimate total_sum;           // sum of ST (>= 1: interactions are counted once per input)
  double mean = kNaN;           // of f over A and B
  double variance = kNaN;       // V, over A and B
  std::size_t rows_used = 0;    // the fewest base samples behind any input's estimate
};

// The indices from the outputs of every row of `design` (outputs.size() == design.rows()).
// A non-finite output (a metric undefined at that point) is left out where it appears: base
// samples without f(A_j) or f(B_j) entirely, those without f(AB_j^i) from input i's estimates
// only (available-case estimation; rows_used is the smallest count over inputs). Every estimate
// is NaN when fewer than 2 base samples have f(A_j) and f(B_j), or when V = 0 (a constant output
// has no variance to share).
SobolIndices sobol_indices(const SaltelliDesign& design, std::span<const double> outputs,
                           const BootstrapOptions& bootstrap);

// Design, model runs and indices in one call (the model takes a point of [0, 1]^inputs).
SobolIndices sobol_analysis(const Model& model, int inputs, std::size_t base, std::uint64_t seed,
                            const BootstrapOptions& bootstrap);

}  // namespace cdpsim::sensitivity
