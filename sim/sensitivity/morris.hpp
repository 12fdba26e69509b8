// Morris elementary-effects screening (Morris 1991) with the improvements of Campolongo, Cariboni
// and Saltelli (2007): mu* (mean absolute effect) and trajectories spread over the input space
// (docs/sensitivity.md, "Morris screening").
//
//   MorrisDesign d = morris_design(5, 20, {.levels = 4}, /*seed=*/3);   // 20 x (5 + 1) rows
//   MorrisIndices m = morris_indices(d, evaluate_rows(f, d.points, 5), {.seed = 3});
//   m.mu_star[2].value;   // mean |elementary effect| of input 2, with m.mu_star[2].low, .high
//
// Grid: p levels {0, 1/(p-1), ..., 1}, step Delta = p / (2 (p - 1)) (2/3 for p = 4). A trajectory
// starts at a random grid point and moves each input once, by +Delta or -Delta, in random order:
// k + 1 rows. The elementary effect of input i is the change in f over its step divided by the
// signed step. From `candidates` random trajectories the design keeps `trajectories` that are
// far apart: Campolongo's criterion (sum over pairs of the squared trajectory distances
// d_ml = sum of the Euclidean distances between their points), maximised greedily: first the
// farthest pair, then one at a time the candidate that adds the most.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/sensitivity/estimate.hpp"

namespace cdpsim::sensitivity {

struct MorrisOptions {
  int levels = 4;              // p: even, >= 2
  std::size_t candidates = 0;  // trajectories to choose from; 0: default_candidates(r)
};

// Candidates drawn when none are given: 10 r, but at most 500 unless that is below 4 r (the
// selection costs candidates^2 (k + 1)^2 k operations).
std::size_t default_candidates(std::size_t trajectories);

struct MorrisDesign {
  int inputs = 0;
  int levels = 4;
  double delta = 0.0;
  std::size_t trajectories = 0;
  std::size_t candidates = 0;
  std::vector<double> points;  // trajectories * (inputs + 1) rows x inputs, row-major
  std::vector<int> changed;    // [row] input moved since the previous row; -1 for a first row

  [[nodiscard]] std::size_t steps() const { return static_cast<std::size_t>(inputs) + 1; }
  [[nodiscard]] std::size_t rows() const { return trajectories * steps(); }
};

// Throws std::invalid_argument for inputs < 1, trajectories < 1, odd or too few levels, or fewer
// candidates than trajectories.
MorrisDesign morris_design(int inputs, std::size_t trajectories, const MorrisOptions& options,
                           std::uint64_t seed);

struct MorrisIndices {
  std::vector<Estimate> mu;           // mean elementary effect (signed: effects may cancel)
  std::vector<Estimate> mu_star;      // mean |elementary effect|: the influence measure
  std::vector<Estimate> sigma;        // standard deviation: non-linearity and interactions
  std::size_t trajectories_used = 0;  // the fewest elementary effects behind any input's estimate
};

// Indices from the outputs of every row of `design`. An elementary effect whose two outputs are
// not both finite is left out of its input's moments only (available-case estimation). The
// bootstrap resamples trajectories. sigma needs 2 effects (else NaN).
MorrisIndices morris_indices(const MorrisDesign& design, std::span<const double> outputs,
                             const BootstrapOptions& bootstrap);

MorrisIndices morris_analysis(const Model& model, int inputs, std::size_t trajectories,
                              const MorrisOptions& options, std::uint64_t seed,
                              const BootstrapOptions& bootstrap);

}  // namespace cdpsim::sensitivity
