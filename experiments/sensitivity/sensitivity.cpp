#include "experiments/sensitivity/sensitivity.hpp"

#include <tbb/blocked_range.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <bit>
#include <cdpsim/version.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <mutex>
#include <numeric>
#include <variant>

#include "experiments/ensemble/design.hpp"
#include "experiments/metrics/metrics.hpp"
#include "experiments/scenario_io.hpp"
#include "sim/io/text.hpp"
#include "sim/parallel/parallel_over.hpp"
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
  if (names.size() == 1 && names[0] == "none") return {};
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (n == kDummyLever) continue;  // always included
    if (n == "all" || n == "none")
      throw SensitivityError("--levers: '" + n + "' cannot be combined with lever names");
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

// One --input: an intervention field varied over [low, high].
struct KeyInput {
  std::string key;
  double low = 0.0, high = 0.0;
  bool whole = false;
};

// Parses "interventions.N.KEY=MIN,MAX" (the range only; the key is checked against the scenario).
KeyInput parse_input(const std::string& text) {
  const std::string shown = "--input '" + text + "'";
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos)
    throw SensitivityError(shown +
                           ": expected KEY=MIN,MAX (for example interventions.0.budget_hours="
                           "500,5000)");
  KeyInput in;
  in.key = io::trim(std::string_view(text).substr(0, eq));
  if (in.key.empty()) throw SensitivityError(shown + ": the key is empty (expected KEY=MIN,MAX)");
  const std::vector<std::string> ends = split_commas({text.substr(eq + 1)});
  if (ends.size() != 2)
    throw SensitivityError(shown + ": expected two numbers MIN,MAX, got " +
                           std::to_string(ends.size()) + " value(s)");
  double v[2];
  for (int i = 0; i < 2; ++i) {
    const std::string& e = ends[static_cast<std::size_t>(i)];
    const auto r = std::from_chars(e.data(), e.data() + e.size(), v[i]);
    if (r.ec != std::errc() || r.ptr != e.data() + e.size() || !std::isfinite(v[i]))
      throw SensitivityError(shown + ": '" + e + "' is not a finite number (expected KEY=MIN,MAX)");
  }
  if (!(v[0] < v[1]))
    throw SensitivityError(shown + ": MIN must be below MAX (an input varies over [MIN, MAX])");
  in.low = v[0];
  in.high = v[1];
  return in;
}

// Text of an input's value for --set: whole inputs as integers, others in the shortest form that
// reads back exactly.
std::string input_text(double v, bool whole) {
  return whole ? std::to_string(static_cast<std::int64_t>(v)) : number_text(v);
}

// Writes `v` into the numeric field `key` of `s` (an intervention's Scalar becomes a number).
void set_number(Scenario& s, const std::string& key, double v) {
  const auto f = scenario_field(s, key);
  if (!f) throw std::logic_error("sensitivity input " + key + " names no field");
  std::visit(
      [&](auto* p) {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, double>) {
          *p = v;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          *p = static_cast<std::int64_t>(v);
        } else if constexpr (std::is_same_v<T, Scalar>) {
          *p = Scalar::of(v);
        } else {
          throw std::logic_error("sensitivity input " + key + " is not numeric");
        }
      },
      *f);
}

// The point's values written into a copy of its variant's scenario.
void apply_point(const SensitivityPlan& plan, std::span<const double> x, Scenario& s) {
  const auto lever = s.levers.by_index();
  for (std::size_t i = 0; i < plan.levers.size(); ++i) {
    if (plan.lever_index[i] >= 0) {
      *lever[static_cast<std::size_t>(plan.lever_index[i])] = x[i];
    } else if (plan.lever_index[i] == kKeyInput) {
      set_number(s, plan.input_keys[i], plan.input_value(i, x[i]));
    }
  }
}

// The scenario of `sets` on the base, each value checked for its key, type and range (the
// loader), without the cross-field rules (checked at the points).
Scenario load_unvalidated(std::string_view base_toml, std::string_view source,
                          const std::vector<std::string>& sets) {
  Scenario s;
  Schema schema = make_schema(s);
  load_scenario_string(base_toml, source, sets, schema);
  fill_defaults(s);
  return s;
}

// Checks an --input key against the scenario: an existing intervention, a numeric field, both
// ends inside the field's range. Fills `whole`.
void check_input_key(KeyInput& in, const std::string& text, std::string_view base_toml,
                     std::string_view source, const Scenario& base) {
  const std::string shown = "--input " + text;
  const std::vector<std::string> parts = [&] {
    std::vector<std::string> p;
    for (std::size_t b = 0;;) {
      const std::size_t e = in.key.find('.', b);
      p.push_back(in.key.substr(b, e == std::string::npos ? std::string::npos : e - b));
      if (e == std::string::npos) break;
      b = e + 1;
    }
    return p;
  }();
  if (parts.size() != 3 || parts[0] != "interventions")
    throw SensitivityError(shown + ": " + in.key +
                           " is not an intervention key (allowed: interventions.N.KEY, for "
                           "example interventions.0.budget_hours=500,5000; levers are chosen "
                           "with --levers, other parameters can be explored with cdpsim "
                           "ensemble --design lhs)");
  const std::size_t n = base.interventions.size();
  std::size_t index = 0;
  const std::string& ix = parts[1];
  const auto r = std::from_chars(ix.data(), ix.data() + ix.size(), index);
  const bool numeric = r.ec == std::errc() && r.ptr == ix.data() + ix.size();
  if (!numeric || index >= n)
    throw SensitivityError(shown + ": " +
                           (numeric ? "the scenario has no intervention " + ix
                                    : "'" + ix + "' is not an element index") +
                           (n == 0 ? std::string(" (it has no [[interventions]])")
                                   : " (allowed: an index in [0, " + std::to_string(n - 1) +
                                         "], its " + std::to_string(n) + " [[interventions]])"));
  for (const double v : {in.low, in.high}) {
    Scenario one;
    try {
      one = load_unvalidated(base_toml, source, {in.key + "=" + number_text(v)});
    } catch (const ScenarioError& e) {
      std::string why = e.what();
      if (why.starts_with("--set: ")) why.erase(0, 7);
      throw SensitivityError(shown + ": " + why);
    }
    const auto f = scenario_field(one, in.key);
    const bool number =
        f && (std::holds_alternative<double*>(*f) || std::holds_alternative<std::int64_t*>(*f) ||
              (std::holds_alternative<Scalar*>(*f) &&
               std::get<Scalar*>(*f)->kind == Scalar::Kind::number));
    if (!number)
      throw SensitivityError(shown + ": " + in.key +
                             " is not a number (allowed: an intervention's numeric keys: set, "
                             "scale, start, end (week numbers), ramp_weeks, check_every, "
                             "min_duration, blackout, budget_hours, budget, cost_per_hour, "
                             "cost_per_week)");
    in.whole =
        std::holds_alternative<std::int64_t*>(*f) || parts[2] == "start" || parts[2] == "end";
    // A set value's range is that of the intervention's key, and its check involves no other
    // key: both ends are checked here. Rules between keys are checked at the design points.
    if (parts[2] == "set") {
      try {
        validate(one, source, strict_horizon());
      } catch (const ScenarioError& e) {
        throw SensitivityError(shown + ": " + e.what());
      }
    }
  }
  if (in.whole && (in.low != std::floor(in.low) || in.high != std::floor(in.high)))
    throw SensitivityError(shown + ": " + in.key +
                           " takes whole numbers (weeks), so MIN and MAX must be whole");
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
    if (!input_keys[i].empty())
      s.push_back(input_keys[i] + "=" + input_text(input_value(i, x[i]), input_whole[i] != 0));
  return s;
}

double SensitivityPlan::input_value(std::size_t input, double u) const {
  if (lever_index[input] != kKeyInput) return u;
  const double lo = input_low[input], hi = input_high[input];
  const double v = lo + u * (hi - lo);
  return std::clamp(input_whole[input] ? std::round(v) : v, lo, hi);
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

  // Inputs (levers, intervention keys, the dummy) and metrics.
  auto add_input = [&](std::string name, int index, std::string key, double lo, double hi,
                       bool whole) {
    plan.levers.push_back(std::move(name));
    plan.lever_index.push_back(index);
    plan.input_keys.push_back(std::move(key));
    plan.input_low.push_back(lo);
    plan.input_high.push_back(hi);
    plan.input_whole.push_back(whole ? 1 : 0);
  };
  for (const std::string& name : chosen_levers(req.levers)) {
    const auto it = std::find_if(kLeverInfo.begin(), kLeverInfo.end(),
                                 [&](const LeverInfo& l) { return l.key == name; });
    add_input(name, static_cast<int>(it - kLeverInfo.begin()), "levers." + name, 0.0, 1.0, false);
  }
  for (const std::string& text : req.inputs) {
    KeyInput in = parse_input(text);
    if (std::find(plan.input_keys.begin(), plan.input_keys.end(), in.key) != plan.input_keys.end())
      throw SensitivityError("--input " + in.key +
                             " is given twice (give each key once, with its range MIN,MAX)");
    check_input_key(in, text, plan.base_toml, source, base);
    add_input(in.key, kKeyInput, in.key, in.low, in.high, in.whole);
  }
  if (plan.levers.empty())
    throw SensitivityError(
        "--levers none: nothing to vary (give --input interventions.N.KEY=MIN,MAX, or levers)");
  add_input(std::string(kDummyLever), -1, "", 0.0, 1.0, false);
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
      throw SensitivityError("too many inputs for a Sobol design (at most " +
                             std::to_string(sensitivity::kSobolMaxDimensions / 2 - 1) +
                             " plus the dummy)");
    plan.sobol = sensitivity::saltelli_design(k, n, derived_seed(req.master_seed, SeedUse::sobol));
  } else {
    plan.morris = sensitivity::morris_design(k, n, {.levels = req.levels, .candidates = 0},
                                             derived_seed(req.master_seed, SeedUse::morris));
  }

  // Every point's scenario, in every variant, is checked as a file is (validate(): interventions
  // planned), so that a combination of values no scenario may have is refused before any run.
  // Levers alone cannot make a scenario invalid, unless an intervention scales one.
  if (!base.interventions.empty()) {
    for (const SensitivityVariant& v : plan.variants)
      for (std::int64_t p = 0; p < plan.points(); ++p) {
        Scenario s = v.scenario;
        apply_point(plan, plan.point(p), s);
        try {
          validate(s, source, strict_horizon());
        } catch (const ScenarioError& e) {
          std::string sets;
          const auto x = plan.point(p);
          for (std::size_t i = 0; i < plan.levers.size(); ++i)
            if (!plan.input_keys[i].empty())
              sets += (sets.empty() ? "" : " ") + plan.input_keys[i] + "=" +
                      input_text(plan.input_value(i, x[i]), plan.input_whole[i] != 0);
          throw ScenarioError("design point " + std::to_string(p) +
                              (v.name.empty() ? std::string() : " of stratum " + v.name) + " (" +
                              sets + "): " + e.what());
        }
      }
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

  std::string inputs_id;
  for (std::size_t i = 0; i < plan.levers.size(); ++i)
    if (plan.lever_index[i] == kKeyInput)
      inputs_id += "\ninput " + plan.input_keys[i] + "=" + number_text(plan.input_low[i]) + "," +
                   number_text(plan.input_high[i]);
  std::string id = std::string("cdpsim ") + version + "\n" + plan.base_toml + "\nmethod " +
                   std::string(method_name(req.method)) + "\nlevers " + join(plan.levers, ",") +
                   "\nsamples " + std::to_string(req.samples) + "\nreplicates " +
                   std::to_string(req.replicates) + "\nlevels " + std::to_string(req.levels) +
                   "\nstratify " + join(plan.request.stratify, ",") + "\nphase_week " +
                   std::to_string(plan.phase_week) + "\nmetrics " + join(plan.metrics, ",") +
                   "\nseed " + std::to_string(req.master_seed) + inputs_id;
  plan.id = io::fnv1a_hex(id);
  return plan;
}

std::vector<double> simulate_sensitivity_run(const SensitivityPlan& plan, std::int64_t run) {
  const SensitivityVariant& var = plan.variants[static_cast<std::size_t>(plan.variant_of(run))];
  Scenario s = var.scenario;
  apply_point(plan, plan.point(plan.point_of(run)), s);

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
                                const RunProgress& on_done, const SensitivityProgress* progress) {
  const std::int64_t n = plan.runs();
  const std::size_t width = plan.cohorts.size() * plan.metrics.size();
  const bool root = group.is_root();
  SensitivityData d;
  // Each rank fills only its runs and leaves zeros elsewhere, so the sum over ranks is exact.
  d.values.assign(static_cast<std::size_t>(n) * width, 0.0);
  std::vector<std::int64_t> pending;
  for (std::int64_t run = 0; run < n; ++run)
    if (!resumed || !resumed->complete[static_cast<std::size_t>(run)]) pending.push_back(run);

  // ready[run]: this rank finished it (its values are in d.values), for the background saves.
  const auto ready = std::make_unique<std::atomic<std::uint8_t>[]>(static_cast<std::size_t>(n));
  auto snapshot = [&] {
    SensitivityData s;
    s.values.assign(d.values.size(), kNaN);
    s.complete.assign(static_cast<std::size_t>(n), 0);
    s.interrupted = true;
    for (std::size_t r = 0; r < static_cast<std::size_t>(n); ++r) {
      const std::vector<double>* from = nullptr;
      if (root && resumed && resumed->complete[r]) from = &resumed->values;
      if (ready[r].load(std::memory_order_acquire)) from = &d.values;
      if (!from) continue;
      std::copy_n(from->begin() + static_cast<std::ptrdiff_t>(r * width), width,
                  s.values.begin() + static_cast<std::ptrdiff_t>(r * width));
      s.complete[r] = 1;
      ++s.runs_done;
    }
    return s;
  };
  const SavePolicy policy = progress ? progress->policy : SavePolicy{.enabled = false};
  ProgressSaver saver(
      policy, [&] { progress->save(snapshot()); },
      root ? std::string("the sensitivity analysis") : "rank " + std::to_string(group.rank()));
  // With rank files a killed MPI job left (progress->save_first), the root saves before any run;
  // the other ranks wait for it, so they never overwrite a rank file before its runs are saved.
  bool ok = true;
  std::exception_ptr failure;
  if (root && progress && progress->save_first) {
    try {
      saver.save_now();
    } catch (...) {
      failure = std::current_exception();
      ok = false;
    }
  }
  if (!group.all(ok)) {
    if (failure) std::rethrow_exception(failure);
    throw std::runtime_error("rank 0 could not save the analysis before its first run");
  }
  saver.start(estimated_save_seconds(8.0 * static_cast<double>(d.values.size())));

  const RunPool pool(group, stop, on_done);
  const PoolOutcome outcome = pool.run(pending, [&](std::int64_t run) {
    const std::vector<double> v = simulate_sensitivity_run(plan, run);
    std::copy(
        v.begin(), v.end(),
        d.values.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(run) * width));
    ready[static_cast<std::size_t>(run)].store(1, std::memory_order_release);
    saver.run_finished();
  });
  saver.stop();
  if (!root && policy.enabled && outcome.done > 0) {
    try {  // this rank's runs, kept until rank 0 has written them
      progress->save(snapshot());
    } catch (const std::exception& e) {
      std::cerr << "cdpsim: warning: rank " << group.rank() << ": cannot save its runs ("
                << e.what() << ")\n";
    }
  }
  d.saves = saver.saves();
  d.save_seconds = saver.seconds();
  d.simulated = outcome.done;
  std::vector<std::uint8_t> finished = pool.gather(d.values, outcome, n);
  if (!root) return d;
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
  parallel_over(std::size_t{0}, S * M,
                [&](std::size_t c) { rep.cells[c] = analyse_cell(plan, data, c / M, c % M); });
  return rep;
}

}  // namespace cdpsim
