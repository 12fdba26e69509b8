// `cdpsim sensitivity` from the experiments layer's side (docs/sensitivity.md): which inputs vary
// (levers over [0, 1], intervention keys over a given range),
// the design (Saltelli or Morris, from the estimators of sim/sensitivity/), the strata, the seeds
// of every run, the runs themselves (threads and MPI ranks, as `cdpsim compare`), and the indices
// per stratum and metric with the dummy lever as the noise floor.
//
//   SensitivityRequest req;
//   req.method = SensitivityMethod::sobol;
//   req.samples = 512;                       // N base samples: 512 x (17 + 1 + 2) points
//   req.replicates = 3;
//   req.stratify = {"phase"};
//   SensitivityPlan plan = make_sensitivity_plan("scenarios/passerelles.toml", req);
//   SensitivityData data = run_sensitivity(plan, nullptr, group, &stop, on_done);
//   SensitivityReport rep = analyse_sensitivity(plan, data);
//
// Intervention parameters can be inputs too (req.inputs =
// {"interventions.0.budget_hours=500,5000"}): each varies over its [MIN, MAX] (inside the field's
// range), and every design point's scenario is validated before any run, as a file is.
//
// Runs are numbered run = (variant * points + point) * replicates + replicate. A point is a set
// of input values plus the dummy; the levers and keys not chosen keep the scenario's values. The
// dummy moves no mechanism: it picks the random numbers, seed = replicate_seed(point_master, r)
// with point_master a hash of the master seed and the dummy's value. Points sharing a dummy value
// (A_j and every AB_j^i with i not the dummy; the steps of a Morris trajectory until the dummy
// moves) therefore share their seeds (common random numbers), and the dummy's index measures what
// randomness alone does to the output: the noise floor.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "experiments/durable.hpp"
#include "models/scenario.hpp"
#include "sim/parallel/run_pool.hpp"
#include "sim/sensitivity/morris.hpp"
#include "sim/sensitivity/sobol_indices.hpp"

namespace cdpsim {

// A bad sensitivity request (unknown lever, metric or stratification key, too few samples, a
// stratification the scenario cannot support): a user error, like ScenarioError.
struct SensitivityError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class SensitivityMethod { sobol, morris };
std::string_view method_name(SensitivityMethod m);

inline constexpr std::string_view kDummyLever = "dummy";
// SensitivityPlan::lever_index of an input that is a scenario key (an intervention's), not a lever.
inline constexpr int kKeyInput = -2;

// Metrics are the rows of the metric table (experiments/metrics/metrics.hpp); per-CdP ones can be
// stratified by phase. The metrics used when none are given: CdP survival and autonomy.
std::vector<std::string> default_sensitivity_metrics();
// phase, pandemic, competition, support_mode.
const std::vector<std::string>& stratify_keys();

struct SensitivityRequest {
  SensitivityMethod method = SensitivityMethod::sobol;
  std::vector<std::string> base_sets;  // --set, applied to every run
  std::vector<std::string> levers;     // names (comma lists allowed); empty or "all": all 17;
                                       // "none": no lever (inputs only)
  std::vector<std::string> inputs;     // "interventions.N.KEY=MIN,MAX": a numeric intervention
                                       // field varied over [MIN, MAX] (--input)
  std::int64_t samples = 0;            // N base samples (Sobol) or r trajectories (Morris)
  std::int64_t replicates = 3;
  std::vector<std::string> metrics;   // empty: default_sensitivity_metrics()
  std::vector<std::string> stratify;  // at most one scenario key, plus "phase"
  std::int64_t phase_week = -1;       // -1: the pandemic's first week, else mid-horizon
  int levels = 4;                     // Morris grid levels
  int bootstrap = 200;                // resamples (analysis only: not part of the plan's id)
  std::uint64_t master_seed = 1;
};

// A version of the scenario every point runs in (one per stratum of a scenario key).
struct SensitivityVariant {
  std::string name;               // "" when there is no scenario key
  std::vector<std::string> sets;  // the --set strings that make it from the base scenario
  Scenario scenario;
};

struct SensitivityPlan {
  SensitivityRequest request;
  std::string scenario_name;
  std::string base_toml;            // the resolved base scenario (base_sets applied)
  std::int64_t horizon = 0;         // weeks simulated
  std::int64_t phase_week = -1;     // measurement week of the phase cohorts, -1 without them
  std::vector<std::string> levers;  // inputs: the chosen levers, the --input keys, then "dummy"
  std::vector<int> lever_index;     // [input] index into kLeverInfo, -1 for the dummy, kKeyInput
                                    // for an intervention key
  std::vector<std::string> input_keys;        // [input] the --set key: levers.NAME,
                                              // interventions.N.KEY; "" for the dummy
  std::vector<double> input_low, input_high;  // [input] range: [0, 1] for levers and the dummy
  std::vector<std::int8_t> input_whole;       // [input] 1: values rounded to whole numbers
  std::vector<std::string> metrics;
  std::vector<SensitivityVariant> variants;  // at least one
  std::vector<std::string> cohorts;          // {"all"} or all + phases + "born_after"
  sensitivity::SaltelliDesign sobol;         // when method == sobol
  sensitivity::MorrisDesign morris;          // when method == morris
  std::vector<std::uint64_t> seeds;          // [point * replicates + replicate]
  std::string id;  // hash of version, base scenario, method, levers, design, strata, metrics, seed

  [[nodiscard]] int inputs() const { return static_cast<int>(levers.size()); }
  // Value that input i takes at design coordinate u in [0, 1]: low + u (high - low), rounded for
  // whole inputs (u itself for levers and the dummy).
  [[nodiscard]] double input_value(std::size_t input, double u) const;
  [[nodiscard]] std::int64_t points() const;
  [[nodiscard]] std::int64_t replicates() const { return request.replicates; }
  [[nodiscard]] std::int64_t runs() const {
    return static_cast<std::int64_t>(variants.size()) * points() * replicates();
  }
  [[nodiscard]] std::size_t strata() const { return variants.size() * cohorts.size(); }
  [[nodiscard]] std::string stratum_name(std::size_t stratum) const;
  [[nodiscard]] std::span<const double> point(std::int64_t p) const;
  [[nodiscard]] const std::vector<double>& design() const;  // points x inputs, row-major
  [[nodiscard]] std::int64_t variant_of(std::int64_t run) const {
    return run / (points() * replicates());
  }
  [[nodiscard]] std::int64_t point_of(std::int64_t run) const {
    return (run / replicates()) % points();
  }
  [[nodiscard]] std::int64_t replicate_of(std::int64_t run) const { return run % replicates(); }
  [[nodiscard]] std::uint64_t seed_of(std::int64_t run) const {
    return seeds[static_cast<std::size_t>(point_of(run) * replicates() + replicate_of(run))];
  }
  // The --set strings (base, variant, inputs) that reproduce `run` with
  // `cdpsim run SCENARIO --seed seed_of(run)`.
  [[nodiscard]] std::vector<std::string> run_sets(std::int64_t run) const;
};

// Loads the scenario with request.base_sets, checks the request and builds the design, the
// variants and the seeds. With --input keys, or when the scenario has interventions, every
// point's scenario in every variant passes validate() (interventions planned) before any run.
// Throws ScenarioError or SensitivityError (user errors) naming what is wrong and what is allowed.
SensitivityPlan make_sensitivity_plan(const std::filesystem::path& scenario,
                                      const SensitivityRequest& request);

// The metric values of one run: [cohort * metrics + metric]; NaN where a cohort is empty (or has
// no supported CdP, for cdp_autonomy).
std::vector<double> simulate_sensitivity_run(const SensitivityPlan& plan, std::int64_t run);

// Every run's values: value(run, cohort, metric) = values[(run * C + cohort) * M + metric].
struct SensitivityData {
  std::vector<double> values;
  std::vector<std::int8_t> complete;   // [run]
  std::int64_t runs_done = 0;          // complete runs (root)
  std::int64_t simulated = 0;          // runs simulated by this process now
  bool interrupted = false;            // some run is missing (root)
  std::vector<std::int64_t> rejected;  // read back: flagged finished, but their values do not
                                       // match their checksum (not kept: complete = 0)
  int saves = 0;                       // progress saves of this process
  double save_seconds = 0.0;           // spent in them

  [[nodiscard]] double value(const SensitivityPlan& p, std::int64_t run, std::size_t cohort,
                             std::size_t metric) const {
    return values[(static_cast<std::size_t>(run) * p.cohorts.size() + cohort) * p.metrics.size() +
                  metric];
  }
};

// FNV-1a 64 (experiments/durable.hpp) of the run's index and seed, then of its values
// [cohort * metrics + metric] (the file's run_checksum; --resume recomputes it).
std::int64_t sensitivity_run_checksum(const SensitivityPlan& plan, std::int64_t run,
                                      std::span<const double> values);

// How run_sensitivity saves its progress (docs/ensembles.md, "Durable progress"): `save` writes a
// snapshot (the runs finished so far, interrupted = true) as this rank's file, atomically. Every
// rank saves in the background as `policy` allows, the other ranks once more when their runs are
// done; with `save_first` (a resume that took runs from rank files) the root saves once before
// the first run (a failure is thrown: nothing runs).
struct SensitivityProgress {
  SavePolicy policy;
  std::function<void(const SensitivityData& snapshot)> save;
  bool save_first = false;
};

// Simulates every run not complete in `resumed` (may be null), split round-robin across the
// group's ranks and in parallel within each (oneTBB); the values end on the root, merged with the
// resumed ones. Stops starting runs once `stop` is set. `on_done(n, of)` reports this rank's
// progress, one call at a time. `progress` (may be null): the saves.
SensitivityData run_sensitivity(const SensitivityPlan& plan, const SensitivityData* resumed,
                                ProcessGroup& group, const std::atomic<bool>* stop,
                                const RunProgress& on_done,
                                const SensitivityProgress* progress = nullptr);

// The indices of one stratum and metric.
struct SensitivityCell {
  sensitivity::SobolIndices sobol;                              // method sobol
  sensitivity::MorrisIndices morris;                            // method morris
  std::vector<sensitivity::SobolIndices> sobol_by_replicate;    // [replicate], no intervals
  std::vector<sensitivity::MorrisIndices> morris_by_replicate;  // [replicate], no intervals
  std::vector<double> influence;  // [input] ST (Sobol) or mu* (Morris)
  std::vector<double> influence_low, influence_high;
  std::vector<std::int8_t> influential;    // [input] 1: the interval clears the noise floor, 0: it
                                           // does not, -1: undefined
  std::vector<std::int32_t> rank;          // [input] 1 = most influential; -1 undefined
  double noise_floor = sensitivity::kNaN;  // the dummy's upper bound
  double output_mean = sensitivity::kNaN;  // of the point means (mean over replicates)
  double output_variance = sensitivity::kNaN;     // variance of the point means
  double replicate_variance = sensitivity::kNaN;  // mean within-point variance of one run
  double noise_share = sensitivity::kNaN;  // replicate noise in a point mean / output_variance
  std::int64_t rows_used = 0;              // base samples (Sobol) or trajectories (Morris) used
};

struct SensitivityReport {
  std::vector<SensitivityCell> cells;  // [stratum * metrics + metric]
  [[nodiscard]] const SensitivityCell& cell(const SensitivityPlan& p, std::size_t stratum,
                                            std::size_t metric) const {
    return cells[stratum * p.metrics.size() + metric];
  }
};

// The fewest base samples (Sobol) or elementary effects per lever (Morris) a stratum and metric
// need for indices: a quarter of --samples, at least 2. Below it (a cohort that exists in few
// design points, or a metric undefined there) the cell's indices are NaN.
std::int64_t min_rows(const SensitivityPlan& plan);

// The indices of every stratum and metric from complete data (deterministic: the bootstrap is
// seeded from the master seed).
SensitivityReport analyse_sensitivity(const SensitivityPlan& plan, const SensitivityData& data);

}  // namespace cdpsim
