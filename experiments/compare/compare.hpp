// `cdpsim compare` from the experiments layer's side: the scenarios run under common random numbers
// (replicate r of every scenario uses the same seed, replicate_seed(master, r)), the outcome
// metrics at a horizon, and the statistics a funder reads: per scenario and metric the mean and
// its 95% t interval, the paired difference from the baseline with its interval, Cohen's d_z and
// the two-sided paired t-test p-value; plus directional hypotheses tested one-sided.
//
// With parameter sets (compare --param-sets FILE, param_sets.hpp), every scenario runs under each
// of K sets with R replicates; within a set the scenarios share their seeds (common random
// numbers), replicate r of set k using replicate_seed(master, k * R + r), so that the sets'
// results are independent. The statistics then take the set as their unit: per set, the mean
// over its replicates (of a metric, or of the paired difference); then the mean over the sets,
// its t interval (K - 1 degrees of freedom) from the spread of the per-set means, which holds
// both the parameters' effect and the replicate noise left in each set's mean
// (Var = sd_between^2 + sd_within^2 / R); plus the 2.5-97.5% band of the per-set differences and
// the share of sets in which a hypothesis holds (docs/calibration.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "experiments/compare/param_sets.hpp"
#include "experiments/run/branch.hpp"
#include "models/scenario.hpp"
#include "sim/parallel/run_pool.hpp"
#include "sim/stats.hpp"

namespace cdpsim {

// A bad comparison request (duplicate names, unknown metric, malformed hypothesis, too short a
// scenario): a user error.
struct CompareError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline constexpr double kConfidence = 0.95;
inline constexpr double kAlpha = 0.05;  // level at which a hypothesis counts as supported

struct CompareScenario {
  std::string name;  // the file's stem: how tables and hypotheses name it
  std::string path;
  Scenario scenario;
  // compare --from: the branch's start (the shared history, fitted to `scenario`).
  std::shared_ptr<const Checkpoint> start;
};

struct CompareRequest {
  std::vector<CompareScenario> scenarios;  // the first is the baseline
  std::vector<std::string> metrics;        // names from ecosystem_metrics()
  std::int64_t replicates = 2;
  std::int64_t horizon = 0;  // weeks simulated
  std::uint64_t master_seed = 1;
  // compare --from CHECKPOINT: every scenario is a branch of it (experiments/run/branch.hpp).
  // reseed: replicate r draws from reseeded(replicate_seed(master, r), week) after the branch
  // week, the same in every scenario (common random numbers); continue: the checkpoint's run's
  // own numbers (one replicate).
  std::string from;
  std::int64_t branch_week = -1;
  SeedPolicy policy = SeedPolicy::reseed;
  // compare --param-sets FILE: set_scenarios[k][s] is scenario s with set k's values (after
  // --set); `replicates` is then per set. Both empty without the option.
  ParamSets param_sets;
  std::vector<std::vector<Scenario>> set_scenarios;

  [[nodiscard]] bool with_param_sets() const { return !set_scenarios.empty(); }
  // K: the number of parameter sets, 1 without --param-sets.
  [[nodiscard]] std::size_t sets() const {
    return set_scenarios.empty() ? 1 : set_scenarios.size();
  }
  [[nodiscard]] const Scenario& scenario_of(std::size_t k, std::size_t s) const {
    return set_scenarios.empty() ? scenarios[s].scenario : set_scenarios[k][s];
  }
  // What a statistic counts: parameter sets with --param-sets, replicates without.
  [[nodiscard]] std::size_t units() const {
    return set_scenarios.empty() ? static_cast<std::size_t>(replicates) : set_scenarios.size();
  }
};

// "A > B on METRIC" or "A < B on METRIC", A and B scenario names (file stem or simulation.name).
struct Hypothesis {
  std::string text;
  std::size_t a = 0, b = 0;  // scenario indices
  std::string metric;
  bool greater = true;
};

// True when some intervention of `s` costs money (cost_per_hour or cost_per_week > 0): `compare`
// then reports the funder metrics (compare_funder_metrics()) too, unless --metric is given.
bool pays_for_interventions(const Scenario& s);

// Throws CompareError with the allowed names when the text, a name or the metric is wrong.
Hypothesis parse_hypothesis(const std::string& text, const std::vector<CompareScenario>& scenarios);
// Throws CompareError naming the allowed metrics (and the nearest one) when `name` is unknown.
void check_metric(const std::string& name);
// Checks names, replicates and horizon; throws CompareError.
void check_request(const CompareRequest& req);

// Fills req.set_scenarios from req.param_sets: each scenario of req.scenarios re-read from its
// file with `sets` (the --set overrides) and then set k's values. Throws CompareError when a
// --set names a key the file also holds, when a scenario differs from the baseline in such a
// key (the sets would erase the difference being compared), or when a set makes a scenario
// invalid (naming the file's line).
void apply_param_sets(CompareRequest& req, const std::vector<std::string>& sets);

// Per-run metric values, value(k, s, r, m) = values[((k * S + s) * R + r) * M + m] (k the
// parameter set, 0 without --param-sets).
struct CompareData {
  std::vector<double> values;
  std::vector<std::uint64_t> seeds;  // [k * R + replicate]
  std::int64_t runs_done = 0;        // finished runs, all ranks (root)
  bool interrupted = false;          // some run did not finish (root)
  [[nodiscard]] double value(const CompareRequest& q, std::size_t s, std::size_t r,
                             std::size_t m) const {
    return values[(s * static_cast<std::size_t>(q.replicates) + r) * q.metrics.size() + m];
  }
  [[nodiscard]] double value(const CompareRequest& q, std::size_t k, std::size_t s, std::size_t r,
                             std::size_t m) const {
    return values[((k * q.scenarios.size() + s) * static_cast<std::size_t>(q.replicates) + r) *
                      q.metrics.size() +
                  m];
  }
};

// Simulates every (scenario, replicate) pair, split round-robin across the group's ranks and in
// parallel within each; the values end up on the root. `on_done(n, of)` reports this rank's
// progress. Stops starting runs once `stop` is set.
CompareData run_comparison(const CompareRequest& req, ProcessGroup& group,
                           const std::atomic<bool>* stop, const RunProgress& on_done);

// A metric may be undefined in some runs (NaN: a cost with a denominator of 0, a window after
// the programme that does not exist). Statistics use the replicates with a value: summary.n of
// them for the mean, diff->n (both the scenario and the baseline have one) for the difference;
// with fewer than 2 pairs the difference's interval, d_z and p are NaN.
//
// With parameter sets the unit is the set: summary over the per-set means (summary.n sets with a
// value), diff over the per-set mean differences (each over the replicates where both have a
// value; diff->n sets), and `spread` says how the sets differ.
struct SetSpread {
  double band_low = 0.0, band_high = 0.0;  // 2.5% and 97.5% of the per-set mean differences
                                           // (linear interpolation, NumPy's default)
  double sd_within = 0.0;       // replicate noise: sqrt of the mean over sets of the within-set
                                // variance of the differences (sets with 2 pairs or more)
  double sd_between = 0.0;      // the parameters' part: sqrt(max(0, var(D_k) - mean(s_k^2 / n_k)))
  double share_positive = 0.0;  // share of the sets whose mean difference is > 0
};

struct CompareRow {
  std::size_t scenario = 0, metric = 0;
  stats::Summary summary;                 // over the replicates with a value (n = 0: mean NaN)
  std::optional<stats::PairedTest> diff;  // vs the baseline; empty for the baseline itself
  std::optional<SetSpread> spread;        // --param-sets, not for the baseline
};

struct HypothesisResult {
  Hypothesis hypothesis;
  stats::PairedTest test;  // a - b, over the replicates where both have a value (test.n)
  double p_value = 1.0;    // one-sided, in the stated direction
  bool supported = false;  // p < kAlpha and the mean difference in the stated direction
  // --param-sets (test is then over the per-set mean differences, K - 1 df): the share of the
  // sets in which the hypothesis is supported by that set's own one-sided paired test over its
  // replicates, and the share whose mean difference lies in the stated direction (of the sets
  // with a difference; NaN without parameter sets).
  double share_sets_supported = std::numeric_limits<double>::quiet_NaN();
  double share_sets_direction = std::numeric_limits<double>::quiet_NaN();
};

struct CompareReport {
  std::vector<CompareRow> rows;  // metric-major: every scenario of metric 0, then metric 1, ...
  std::vector<HypothesisResult> hypotheses;
};

CompareReport analyse(const CompareRequest& req, const CompareData& data,
                      const std::vector<Hypothesis>& hypotheses);

}  // namespace cdpsim
