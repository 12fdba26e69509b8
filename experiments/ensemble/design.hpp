// The plan of an ensemble (docs/ensembles.md): design points from parameter sweeps (a full grid,
// or a Latin hypercube over the sweeps' ranges), replicates, and the seed of every run.
//
//   DesignRequest req;
//   req.sweeps = {parse_sweep("levers.animation=0.2,0.5,0.8")};
//   req.replicates = 10;
//   req.master_seed = 42;
//   EnsemblePlan plan = make_plan("scenarios/passerelles.toml", req);  // 30 runs, validated
//
// Runs are numbered run = point * replicates + replicate. A run's seed depends on the master seed
// and its replicate only (common random numbers: every design point, and every scenario of
// `cdpsim compare`, sees the same seeds), so `cdpsim run SCENARIO --seed run_seed(run)
// --set run_sets(run)...` reproduces any run on its own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "experiments/run/branch.hpp"
#include "models/scenario.hpp"
#include "sim/scenario/param.hpp"
#include "sim/splitmix.hpp"

namespace cdpsim {

// A bad design request (malformed sweep, empty design, a key that cannot vary): a user error,
// like ScenarioError, which make_plan() also throws for bad keys and values.
struct DesignError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Sweep {
  std::string key;                  // "section.key" or "array.N.key", as for --set
  std::vector<std::string> values;  // as written, each becomes "key=value"
};

// Parses "KEY=V1,V2,..." (values are split on commas; surrounding spaces are trimmed).
Sweep parse_sweep(std::string_view text);

enum class DesignKind { grid, lhs };
std::string_view design_kind_name(DesignKind k);

// What the user asked for; stored in the ensemble file so shards and resumes can rebuild the plan.
struct DesignRequest {
  std::vector<std::string> base_sets;  // --set overrides applied to every run
  std::vector<Sweep> sweeps;
  DesignKind kind = DesignKind::grid;
  std::int64_t samples = 0;  // points of a Latin hypercube (lhs only)
  std::int64_t replicates = 1;
  std::uint64_t master_seed = 1;
};

// Seeds follow the one rule of sim/splitmix.hpp: replicate_seed(master, replicate).

struct EnsemblePlan {
  DesignRequest request;
  std::string scenario_name;
  std::string base_toml;  // the resolved base scenario (base_sets applied)
  Scenario base;
  std::vector<std::string> keys;                 // swept keys, in --sweep order
  std::vector<std::vector<std::string>> values;  // [point][key] value as set
  std::vector<std::vector<double>> design;       // [point][key] value as loaded; NaN if not a
                                                 // number (bool: 0/1)
  std::vector<Scenario> scenarios;               // [point], validated
  std::vector<std::uint64_t> seeds;              // [replicate]
  std::string ensemble_id;  // hash of version, base scenario, design, replicates and seed
  // ensemble --from CHECKPOINT (experiments/run/branch.hpp): every point a branch of it, run
  // from its week with reseeded(seed_of(run), branch_week).
  std::string from;
  std::int64_t branch_week = -1;
  std::vector<std::shared_ptr<const Checkpoint>> starts;  // [point]

  [[nodiscard]] std::int64_t points() const { return static_cast<std::int64_t>(values.size()); }
  [[nodiscard]] std::int64_t replicates() const { return request.replicates; }
  [[nodiscard]] std::int64_t runs() const { return points() * replicates(); }
  [[nodiscard]] std::int64_t point_of(std::int64_t run) const { return run / replicates(); }
  [[nodiscard]] std::int64_t replicate_of(std::int64_t run) const { return run % replicates(); }
  [[nodiscard]] std::uint64_t seed_of(std::int64_t run) const {
    return seeds[static_cast<std::size_t>(replicate_of(run))];
  }
  // "key=value" for each swept key of the point.
  [[nodiscard]] std::vector<std::string> point_sets(std::int64_t point) const;
  // base_sets then point_sets: the --set list that reproduces the run with `cdpsim run`.
  [[nodiscard]] std::vector<std::string> run_sets(std::int64_t run) const;
};

// Makes every point of `plan` a branch of checkpoint `c` (read from `path`): each point's
// scenario becomes its branch, with the checkpoint's history as its start, and the ensemble id
// covers the checkpoint. Throws ScenarioError when a point changes what a branch may not.
void branch_plan(EnsemblePlan& plan, const Checkpoint& c, const std::string& path);

// Loads `scenario` with request.base_sets and builds every design point, loading each point's
// scenario so that any bad key or value is reported before a run starts. Throws ScenarioError or
// DesignError.
// Runs the request will have (design points x replicates), known before any scenario is built:
// a grid has one point per combination of the swept values (1 without sweeps), a Latin
// hypercube `samples` points; capped at 2^62 so absurd requests stay comparable.
std::int64_t planned_runs(const DesignRequest& request);

EnsemblePlan make_plan(const std::filesystem::path& scenario, const DesignRequest& request);
// The same from a resolved base scenario (as stored in an ensemble file); `source` names it in
// messages.
EnsemblePlan make_plan_from_toml(std::string_view base_toml, std::string_view source,
                                 const DesignRequest& request);

// The field of `s` a --set key names ("section.key", or "array.N.key" with element N present),
// or nothing: what a sweep (or a sensitivity input) changes. Pointers into `s`.
std::optional<FieldPtr> scenario_field(Scenario& s, std::string_view key);

// Keys an ensemble cannot vary: its runs share the week axis, the calendar and the seed rule.
bool fixed_key(std::string_view key);

}  // namespace cdpsim
