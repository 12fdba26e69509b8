// `cdpsim compare` from the experiments layer's side: the scenarios run under common random numbers
// (replicate r of every scenario uses the same seed, replicate_seed(master, r)), the outcome
// metrics at a horizon, and the statistics a funder reads: per scenario and metric the mean and
// its 95% t interval, the paired difference from the baseline with its interval, Cohen's d_z and
// the two-sided paired t-test p-value; plus directional hypotheses tested one-sided.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

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

// Per-run metric values, value(s, r, m) = values[(s * R + r) * M + m].
struct CompareData {
  std::vector<double> values;
  std::vector<std::uint64_t> seeds;  // [replicate]
  std::int64_t runs_done = 0;        // finished runs, all ranks (root)
  bool interrupted = false;          // some run did not finish (root)
  [[nodiscard]] double value(const CompareRequest& q, std::size_t s, std::size_t r,
                             std::size_t m) const {
    return values[(s * static_cast<std::size_t>(q.replicates) + r) * q.metrics.size() + m];
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
struct CompareRow {
  std::size_t scenario = 0, metric = 0;
  stats::Summary summary;                 // over the replicates with a value (n = 0: mean NaN)
  std::optional<stats::PairedTest> diff;  // vs the baseline; empty for the baseline itself
};

struct HypothesisResult {
  Hypothesis hypothesis;
  stats::PairedTest test;  // a - b, over the replicates where both have a value (test.n)
  double p_value = 1.0;    // one-sided, in the stated direction
  bool supported = false;  // p < kAlpha and the mean difference in the stated direction
};

struct CompareReport {
  std::vector<CompareRow> rows;  // metric-major: every scenario of metric 0, then metric 1, ...
  std::vector<HypothesisResult> hypotheses;
};

CompareReport analyse(const CompareRequest& req, const CompareData& data,
                      const std::vector<Hypothesis>& hypotheses);

}  // namespace cdpsim
