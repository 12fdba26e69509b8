#include "experiments/sensitivity/sensitivity.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <bit>
#include <cdpsim/version.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <numeric>

#include "experiments/ensemble/design.hpp"
#include "experiments/metrics/metrics.hpp"
#include "experiments/scenario_io.hpp"
#include "sim/io/text.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/splitmix.hpp"

namespace cdpsim {

namespace {

using sensitivity::kNaN;

// Seeds of the design, the bootstrap and the points, derived from the master seed: one stream
// per use, so that changing one never moves another.
enum class SeedUse : std::uint64_t { sobol = 1, morris = 2, bootstrap = 3, point = 4 };

std::uint64_t derived_seed(std::uint64_t master, SeedUse use) {
  return hash64(master, static_cast<std::uint64_t>(use));
}

// Measurement of per-CdP metrics (docs/sensitivity.md, "Metrics").
constexpr std::int32_t kNoPhase = -1;

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : std::string(sep)) + x;
  return s;
}

std::vector<std::string> split_commas(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    std::size_t b = 0;
    for (;;) {
      const std::size_t e = item.find(',', b);
      std::string part = io::trim(std::string_view(item).substr(b, e - b));
      if (!part.empty()) out.push_back(part);
      if (e == std::string::npos) break;
      b = e + 1;
    }
  }
  return out;
}

std::string unknown(std::string_view what, const std::string& name,
                    const std::vector<std::string>& allowed, std::string_view extra = {}) {
  const std::string near = nearest_name(name, allowed);
  return std::string(what) + " '" + name + "'" +
         (near.empty() ? "" : " (did you mean '" + near + "'?)") +
         "; allowed: " + std::string(extra) + join(allowed, ", ");
}

std::string number_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::vector<std::string> chosen_levers(const std::vector<std::string>& given) {
  std::vector<std::string> all;
  for (const LeverInfo& l : kLeverInfo) all.emplace_back(l.key);
  std::vector<std::string> names = split_commas(given);
  if (names.empty() || (names.size() == 1 && names[0] == "all")) return all;
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (n == kDummyLever) continue;  // always included
    if (n == "all") throw SensitivityError("--levers: 'all' cannot be combined with lever names");
    if (std::find(all.begin(), all.end(), n) == all.end())
      throw SensitivityError(
          "--levers: " + unknown("unknown lever", n, all, "all, or a comma-separated list of "));
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
  return out;
}

std::vector<std::string> chosen_metrics(const std::vector<std::string>& given, bool by_phase) {
  std::vector<std::string> names = split_commas(given);
  if (names.empty()) names = default_sensitivity_metrics();
  std::vector<std::string> allowed;
  for (const Metric& m : metrics()) allowed.emplace_back(m.name);
  std::vector<std::string> out;
  for (const std::string& n : names) {
    const Metric* it = find_metric(n);
    if (!it) throw SensitivityError("--metric: " + unknown("unknown metric", n, allowed));
    if (by_phase && !it->per_cdp()) {
      std::vector<std::string> per_cdp;
      for (const Metric& m : metrics())
        if (m.per_cdp()) per_cdp.emplace_back(m.name);
      throw SensitivityError("--metric " + n +
                             ": an ecosystem-wide metric has no value per CdP "
                             "phase, so it cannot be stratified by phase (with --stratify phase "
                             "use per-CdP metrics: " +
                             join(per_cdp, ", ") + ")");
    }
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  }
  return out;
}

// Pandemic shocks that act inside the horizon (intensity > 0, overlapping weeks [0, horizon)).
std::vector<std::size_t> pandemic_shocks(const Scenario& s, std::int64_t horizon) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.shocks.size(); ++i) {
    const ShockSpec& sh = s.shocks[i];
    const std::int64_t start = s.week_of(sh.start);
    if (sh.kind == "pandemic" && sh.intensity > 0 && start < horizon &&
        start + sh.duration_weeks > 0)
      out.push_back(i);
  }
  return out;
}

struct VariantSpec {
  std::string name;
  std::vector<std::string> sets;
};

std::vector<VariantSpec> variant_specs(const std::string& key, const Scenario& base,
                                       std::int64_t horizon, const std::string& scenario_name) {
  if (key.empty()) return {{"", {}}};
  if (key == "pandemic") {
    const auto shocks = pandemic_shocks(base, horizon);
    if (shocks.empty())
      throw SensitivityError("--stratify pandemic: scenario '" + scenario_name +
                             "' has no pandemic shock acting inside its " +
                             std::to_string(horizon) +
                             " weeks (add a [[shocks]] of kind \"pandemic\", or move its start "
                             "with --set shocks.N.start=DATE)");
    VariantSpec without{"no_pandemic", {}};
    for (std::size_t i : shocks)
      without.sets.push_back("shocks." + std::to_string(i) + ".intensity=0");
    return {{"pandemic", {}}, without};
  }
  if (key == "competition") {
    std::vector<VariantSpec> v = {{"competition_low", {}}, {"competition_high", {}}};
    for (VariantSpec& spec : v) {
      const std::string level = spec.name == "competition_low" ? "0.1" : "0.8";
      spec.sets.push_back("territory.default_competition=" + level);
      for (std::size_t i = 0; i < base.territories.size(); ++i)
        spec.sets.push_back("territories." + std::to_string(i) + ".competition=" + level);
    }
    return v;
  }
  if (key == "support_mode") {
    std::vector<VariantSpec> v;
    for (const char* mode : {"none", "expert", "capacity_building"})
      v.push_back({std::string("support_") + mode, {std::string("support.mode=") + mode}});
    return v;
  }
  throw std::logic_error("unknown stratification key " + key);
}

}  // namespace

std::string_view method_name(SensitivityMethod m) {
  return m == SensitivityMethod::sobol ? "sobol" : "morris";
}

std::vector<std::string> default_sensitivity_metrics() { return {"cdp_survival", "cdp_autonomy"}; }

const std::vector<std::string>& stratify_keys() {
  static const std::vector<std::string> k = {"phase", "pandemic", "competition", "support_mode"};
  return k;
}

std::int64_t SensitivityPlan::points() const {
  return request.method == SensitivityMethod::sobol ? static_cast<std::int64_t>(sobol.rows())
                                                    : static_cast<std::int64_t>(morris.rows());
}

const std::vector<double>& SensitivityPlan::design() const {
  return request.method == SensitivityMethod::sobol ? sobol.points : morris.points;
}

std::span<const double> SensitivityPlan::point(std::int64_t p) const {
  const auto k = static_cast<std::size_t>(inputs());
  return std::span<const double>(design()).subspan(static_cast<std::size_t>(p) * k, k);
}

std::string SensitivityPlan::stratum_name(std::size_t stratum) const {
  const std::string& v = variants[stratum / cohorts.size()].name;
  const std::string& c = cohorts[stratum % cohorts.size()];
  if (v.empty()) return c;
  if (cohorts.size() == 1) return v;
  return v + "/" + c;
}

std::vector<std::string> SensitivityPlan::run_sets(std::int64_t run) const {
  std::vector<std::string> s = request.base_sets;
  const auto& var = variants[static_cast<std::size_t>(variant_of(run))];
  s.insert(s.end(), var.sets.begin(), var.sets.end());
  const auto x = point(point_of(run));
  for (std::size_t i = 0; i < levers.size(); ++i)
    if (lever_index[i] >= 0) s.push_back("levers." + levers[i] + "=" + number_text(x[i]));
  return s;
}

SensitivityPlan make_sensitivity_plan(const std::filesystem::path& scenario,
                                      const SensitivityRequest& req) {
  SensitivityPlan plan;
  plan.request = req;
  const Scenario base = load_scenario(scenario, req.base_sets);
  plan.scenario_name = base.simulation.name;
  plan.base_toml = resolved_toml(base);
  plan.horizon = base.simulation.weeks;
  const std::string source = scenario.string();

  // Stratification keys: at most one that changes the scenario, plus phase.
  bool by_phase = false;
  std::string variant_key;
  for (const std::string& key : split_commas(req.stratify)) {
    if (std::find(stratify_keys().begin(), stratify_keys().end(), key) == stratify_keys().end())
      throw SensitivityError("--stratify: " + unknown("unknown key", key, stratify_keys()));
    if (key == "phase") {
      by_phase = true;
    } else if (variant_key.empty() || variant_key == key) {
      variant_key = key;
    } else {
      throw SensitivityError("--stratify " + variant_key + " and " + key +
                             ": at most one of pandemic, competition, support_mode (each runs "
                             "every point in every one of its strata), plus phase");
    }
  }
  plan.request.stratify.clear();
  if (!variant_key.empty()) plan.request.stratify.push_back(variant_key);
  if (by_phase) plan.request.stratify.push_back("phase");

  // Levers and metrics.
  for (const std::string& name : chosen_levers(req.levers)) {
    plan.levers.push_back(name);
    const auto it = std::find_if(kLeverInfo.begin(), kLeverInfo.end(),
                                 [&](const LeverInfo& l) { return l.key == name; });
    plan.lever_index.push_back(static_cast<int>(it - kLeverInfo.begin()));
  }
  plan.levers.emplace_back(kDummyLever);
  plan.lever_index.push_back(-1);
  plan.metrics = chosen_metrics(req.metrics, by_phase);

  // Sizes.
  if (req.replicates < 1)
    throw SensitivityError("--replicates " + std::to_string(req.replicates) +
                           ": at least 1 (2 or more to measure the replicate noise)");
  const char* unit = req.method == SensitivityMethod::sobol ? "base samples" : "trajectories";
  if (req.samples < 2)
    throw SensitivityError("--samples " + std::to_string(req.samples) + ": at least 2 " + unit +
                           " (intervals need several; for Sobol indices powers of two such as "
                           "256 or 512 balance best)");
  if (req.samples > 1'000'000)
    throw SensitivityError("--samples " + std::to_string(req.samples) + ": at most 1000000");
  if (req.method == SensitivityMethod::morris && (req.levels < 2 || req.levels % 2 != 0))
    throw SensitivityError("--levels " + std::to_string(req.levels) +
                           ": an even number of grid levels, at least 2 (usually 4 or 6)");
  if (req.bootstrap < 0 || req.bootstrap > 100000)
    throw SensitivityError("--bootstrap " + std::to_string(req.bootstrap) +
                           ": between 0 (no intervals) and 100000 resamples");

  // Phase cohorts: the phase at the measurement week.
  plan.cohorts = {"all"};
  if (by_phase) {
    std::int64_t w = req.phase_week;
    if (w < 0) {
      const auto shocks = pandemic_shocks(base, plan.horizon);
      w = shocks.empty() ? plan.horizon / 2
                         : std::max<std::int64_t>(0, base.week_of(base.shocks[shocks[0]].start));
    }
    if (w >= plan.horizon)
      throw SensitivityError("--phase-week " + std::to_string(w) +
                             ": outside the horizon "
                             "(allowed: 0 to " +
                             std::to_string(plan.horizon - 1) + ")");
    plan.phase_week = w;
    for (int p = 0; p < kPhases; ++p)
      if (p != static_cast<int>(Phase::dissolved)) plan.cohorts.emplace_back(kPhaseNames[p]);
    plan.cohorts.emplace_back("born_after");
  } else if (req.phase_week >= 0) {
    throw SensitivityError("--phase-week applies to --stratify phase only");
  }

  // Variants: validated now, so a bad stratum is reported before any run.
  for (VariantSpec& spec : variant_specs(variant_key, base, plan.horizon, plan.scenario_name)) {
    SensitivityVariant v;
    v.name = spec.name;
    v.sets = spec.sets;
    v.scenario = load_scenario_text(plan.base_toml, source, spec.sets);
    plan.variants.push_back(std::move(v));
  }

  // Design.
  const int k = plan.inputs();
  const auto n = static_cast<std::size_t>(req.samples);
  if (req.method == SensitivityMethod::sobol) {
    if (2 * k > sensitivity::kSobolMaxDimensions)
      throw SensitivityError("too many levers for a Sobol design (at most " +
                             std::to_string(sensitivity::kSobolMaxDimensions / 2 - 1) +
                             " plus the dummy)");
    plan.sobol = sensitivity::saltelli_design(k, n, derived_seed(req.master_seed, SeedUse::sobol));
  } else {
    plan.morris = sensitivity::morris_design(k, n, {.levels = req.levels, .candidates = 0},
                                             derived_seed(req.master_seed, SeedUse::morris));
  }

  // Seeds: common random numbers among points that share the dummy's value.
  const std::int64_t points = plan.points();
  const std::uint64_t point_seed = derived_seed(req.master_seed, SeedUse::point);
  for (std::int64_t p = 0; p < points; ++p) {
    const double dummy = plan.point(p)[static_cast<std::size_t>(k - 1)];
    const std::uint64_t master = hash64(point_seed, std::bit_cast<std::uint64_t>(dummy));
    for (std::int64_t r = 0; r < req.replicates; ++r)
      plan.seeds.push_back(replicate_seed(master, r));
  }

  std::string id = std::string("cdpsim ") + version + "\n" + plan.base_toml + "\nmethod " +
                   std::string(method_name(req.method)) + "\nlevers " + join(plan.levers, ",") +
                   "\nsamples " + std::to_string(req.samples) + "\nreplicates " +
                   std::to_string(req.replicates) + "\nlevels " + std::to_string(req.levels) +
                   "\nstratify " + join(plan.request.stratify, ",") + "\nphase_week " +
                   std::to_string(plan.phase_week) + "\nmetrics " + join(plan.metrics, ",") +
                   "\nseed " + std::to_string(req.master_seed);
  plan.id = io::fnv1a_hex(id);
  return plan;
}

std::vector<double> simulate_sensitivity_run(const SensitivityPlan& plan, std::int64_t run) {
  const SensitivityVariant& var = plan.variants[static_cast<std::size_t>(plan.variant_of(run))];
  Scenario s = var.scenario;
  const auto lever = s.levers.by_index();
  const auto x = plan.point(plan.point_of(run));
  for (std::size_t i = 0; i < plan.levers.size(); ++i)
    if (plan.lever_index[i] >= 0) *lever[static_cast<std::size_t>(plan.lever_index[i])] = x[i];

  std::vector<std::uint8_t> phase_at;  // [cdp] phase at the measurement week
  std::function<void(const World&)> observe;
  if (plan.phase_week >= 0)
    observe = [&](const World& w) {
      if (w.week == plan.phase_week)
        phase_at.assign(w.cdps.phase.begin(), w.cdps.phase.begin() + w.cdps.created);
    };
  const RunSummary r = simulate_summary(s, plan.seed_of(run), plan.horizon, observe);

  // Cohort of each CdP: -1 outside every phase cohort (dissolved at the measurement week).
  const std::size_t C = plan.cohorts.size(), M = plan.metrics.size();
  std::vector<std::int32_t> cohort(r.cdps.size(), kNoPhase);
  if (plan.phase_week >= 0)
    for (std::size_t c = 0; c < r.cdps.size(); ++c) {
      if (c >= phase_at.size()) {
        cohort[c] = static_cast<std::int32_t>(C - 1);  // born_after
      } else if (phase_at[c] != static_cast<std::uint8_t>(Phase::dissolved)) {
        cohort[c] = 1 + phase_at[c];  // cohorts: all, then the phases in order
      }
    }

  std::vector<double> out(C * M, kNaN);
  std::vector<bool> in(r.cdps.size());
  for (std::size_t m = 0; m < M; ++m) {
    const Metric& info = metric(plan.metrics[m]);
    if (!info.per_cdp()) {
      out[m] = metric_value(r, info.name);  // cohort "all" only (checked by the plan)
      continue;
    }
    for (std::size_t co = 0; co < C; ++co) {
      for (std::size_t c = 0; c < r.cdps.size(); ++c)
        in[c] = co == 0 || cohort[c] == static_cast<std::int32_t>(co);
      out[co * M + m] = cohort_value(info, r, in);
    }
  }
  return out;
}

SensitivityData run_sensitivity(const SensitivityPlan& plan, const SensitivityData* resumed,
                                ProcessGroup& group, const std::atomic<bool>* stop,
                                const RunProgress& on_done) {
  const std::int64_t n = plan.runs();
  const std::size_t width = plan.cohorts.size() * plan.metrics.size();
  SensitivityData d;
  // Each rank fills only its runs and leaves zeros elsewhere, so the sum over ranks is exact.
  d.values.assign(static_cast<std::size_t>(n) * width, 0.0);
  std::vector<std::int64_t> pending;
  for (std::int64_t run = 0; run < n; ++run)
    if (!resumed || !resumed->complete[static_cast<std::size_t>(run)]) pending.push_back(run);
  const RunPool pool(group, stop, on_done);
  const PoolOutcome outcome = pool.run(pending, [&](std::int64_t run) {
    const std::vector<double> v = simulate_sensitivity_run(plan, run);
    std::copy(
        v.begin(), v.end(),
        d.values.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(run) * width));
  });
  d.simulated = outcome.done;
  std::vector<std::uint8_t> finished = pool.gather(d.values, outcome, n);
  if (!group.is_root()) return d;
  if (resumed)
    for (std::int64_t run = 0; run < n; ++run) {
      const auto r = static_cast<std::size_t>(run);
      if (!resumed->complete[r]) continue;
      std::copy_n(resumed->values.begin() + static_cast<std::ptrdiff_t>(r * width), width,
                  d.values.begin() + static_cast<std::ptrdiff_t>(r * width));
      finished[r] = 1;
    }
  d.complete.resize(finished.size());
  for (std::size_t r = 0; r < finished.size(); ++r) {
    d.complete[r] = finished[r];
    d.runs_done += d.complete[r];
    if (!d.complete[r])
      std::fill_n(d.values.begin() + static_cast<std::ptrdiff_t>(r * width), width, kNaN);
  }
  d.interrupted = d.runs_done < n;
  return d;
}

std::int64_t min_rows(const SensitivityPlan& plan) {
  return std::max<std::int64_t>(2, (plan.request.samples + 3) / 4);
}

namespace {

SensitivityCell analyse_cell(const SensitivityPlan& plan, const SensitivityData& data,
                             std::size_t stratum, std::size_t metric) {
  const std::size_t C = plan.cohorts.size();
  const auto variant = static_cast<std::int64_t>(stratum / C);
  const std::size_t cohort = stratum % C;
  const std::int64_t P = plan.points(), R = plan.replicates();
  const auto k = static_cast<std::size_t>(plan.inputs());
  const sensitivity::BootstrapOptions boot{
      plan.request.bootstrap, 0.95, derived_seed(plan.request.master_seed, SeedUse::bootstrap)};
  // by_rep[r][p]: one replicate's value; mean[p]: the point's mean over its finite replicates.
  std::vector<std::vector<double>> by_rep(static_cast<std::size_t>(R),
                                          std::vector<double>(static_cast<std::size_t>(P), kNaN));
  std::vector<double> mean(static_cast<std::size_t>(P), kNaN);
  double within = 0.0, within_of_mean = 0.0;
  std::int64_t with_spread = 0;
  for (std::int64_t p = 0; p < P; ++p) {
    double s = 0.0, ss = 0.0;
    int nf = 0;
    for (std::int64_t r = 0; r < R; ++r) {
      const double v = data.value(plan, (variant * P + p) * R + r, cohort, metric);
      by_rep[static_cast<std::size_t>(r)][static_cast<std::size_t>(p)] = v;
      if (std::isfinite(v)) {
        s += v;
        ++nf;
      }
    }
    if (nf == 0) continue;
    const double mu = s / nf;
    mean[static_cast<std::size_t>(p)] = mu;
    for (std::int64_t r = 0; r < R; ++r) {
      const double v = by_rep[static_cast<std::size_t>(r)][static_cast<std::size_t>(p)];
      if (std::isfinite(v)) ss += (v - mu) * (v - mu);
    }
    if (nf >= 2) {
      within += ss / (nf - 1);
      within_of_mean += ss / (nf - 1) / nf;
      ++with_spread;
    }
  }
  SensitivityCell cell;
  double s = 0.0, ss = 0.0;
  std::int64_t nf = 0;
  for (double v : mean)
    if (std::isfinite(v)) {
      s += v;
      ++nf;
    }
  if (nf > 0) cell.output_mean = s / static_cast<double>(nf);
  for (double v : mean)
    if (std::isfinite(v)) ss += (v - cell.output_mean) * (v - cell.output_mean);
  if (nf > 1) cell.output_variance = ss / static_cast<double>(nf - 1);
  if (with_spread > 0) {
    cell.replicate_variance = within / static_cast<double>(with_spread);
    if (cell.output_variance > 0)
      cell.noise_share = within_of_mean / static_cast<double>(with_spread) / cell.output_variance;
  }

  std::vector<sensitivity::Estimate> influence;
  if (plan.request.method == SensitivityMethod::sobol) {
    cell.sobol = sensitivity::sobol_indices(plan.sobol, mean, boot);
    for (const auto& y : by_rep)
      cell.sobol_by_replicate.push_back(
          sensitivity::sobol_indices(plan.sobol, y, {0, boot.confidence, boot.seed}));
    influence = cell.sobol.total;
    cell.rows_used = static_cast<std::int64_t>(cell.sobol.rows_used);
  } else {
    cell.morris = sensitivity::morris_indices(plan.morris, mean, boot);
    for (const auto& y : by_rep)
      cell.morris_by_replicate.push_back(
          sensitivity::morris_indices(plan.morris, y, {0, boot.confidence, boot.seed}));
    influence = cell.morris.mu_star;
    cell.rows_used = static_cast<std::int64_t>(cell.morris.trajectories_used);
  }
  // A cohort that exists in too few design points gives no indices (they would describe only
  // the corner of the lever space where it exists, from a handful of rows).
  if (cell.rows_used < min_rows(plan)) {
    for (sensitivity::Estimate& e : influence) e = {};
    cell.sobol = {};
    cell.sobol.first.resize(k);
    cell.sobol.total.resize(k);
    cell.morris = {};
    cell.morris.mu.resize(k);
    cell.morris.mu_star.resize(k);
    cell.morris.sigma.resize(k);
    cell.sobol_by_replicate.assign(cell.sobol_by_replicate.size(), cell.sobol);
    cell.morris_by_replicate.assign(cell.morris_by_replicate.size(), cell.morris);
    cell.sobol.rows_used = cell.morris.trajectories_used = static_cast<std::size_t>(cell.rows_used);
  }
  const sensitivity::Estimate& dummy = influence[k - 1];
  cell.noise_floor = dummy.high;
  cell.influential.assign(k, -1);
  cell.rank.assign(k, -1);
  for (std::size_t i = 0; i < k; ++i) {
    cell.influence.push_back(influence[i].value);
    cell.influence_low.push_back(influence[i].low);
    cell.influence_high.push_back(influence[i].high);
    if (i + 1 < k && std::isfinite(influence[i].low) && std::isfinite(cell.noise_floor))
      cell.influential[i] = influence[i].low > cell.noise_floor ? 1 : 0;
  }
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < k; ++i)
    if (std::isfinite(influence[i].value)) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return influence[a].value > influence[b].value;
  });
  for (std::size_t r = 0; r < order.size(); ++r)
    cell.rank[order[r]] = static_cast<std::int32_t>(r + 1);
  return cell;
}

}  // namespace

SensitivityReport analyse_sensitivity(const SensitivityPlan& plan, const SensitivityData& data) {
  const std::size_t S = plan.strata(), M = plan.metrics.size();
  SensitivityReport rep;
  rep.cells.resize(S * M);
  // Cells are independent and each is deterministic: the result does not depend on threads.
  tbb::parallel_for(std::size_t{0}, S * M,
                    [&](std::size_t c) { rep.cells[c] = analyse_cell(plan, data, c / M, c % M); });
  return rep;
}

}  // namespace cdpsim
