#include "experiments/ensemble/design.hpp"

#include <algorithm>
#include <cdpsim/version.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <variant>

#include "experiments/scenario_io.hpp"
#include "sim/io/text.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/param.hpp"
#include "sim/splitmix.hpp"

namespace cdpsim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The loaded value of `key` as a number (bool as 0/1), NaN for strings and dates. A Scalar
// (an intervention's set, scale, start, end, budget) is a number when it holds one.
double numeric_value(Scenario& s, const std::string& key) {
  const auto f = scenario_field(s, key);
  if (!f) return kNaN;
  return std::visit(
      [](auto* p) -> double {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, double>) return *p;
        if constexpr (std::is_same_v<T, std::int64_t>) return static_cast<double>(*p);
        if constexpr (std::is_same_v<T, bool>) return *p ? 1.0 : 0.0;
        if constexpr (std::is_same_v<T, Scalar>) {
          if (p->kind == Scalar::Kind::number) return p->number;
          if (p->kind == Scalar::Kind::boolean) return p->boolean ? 1.0 : 0.0;
        }
        return kNaN;
      },
      *f);
}

// Shortest text that reads back as exactly `v`.
std::string number_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// A message about the resolved base text names lines of that text, not of the user's file:
// "SOURCE:LINE:COLUMN: rest" becomes "SOURCE: rest".
std::string without_location(std::string why, std::string_view source) {
  if (source.empty() || !why.starts_with(source)) return why;
  std::size_t i = source.size();
  for (int part = 0; part < 2; ++part) {
    if (i >= why.size() || why[i] != ':') return why;
    const std::size_t digits = ++i;
    while (i < why.size() && why[i] >= '0' && why[i] <= '9') ++i;
    if (i == digits) return why;
  }
  if (!why.substr(i).starts_with(": ")) return why;
  return std::string(source) + why.substr(i);
}

// The scenario of `sets` applied to the base. `checked`: validated as a whole, as a file is
// (validate(): cross-field rules, interventions planned); otherwise only each value's key, type
// and range are checked (the loader), so that a value that is valid only together with another
// key's swept value is judged at the points.
Scenario load_point(std::string_view base_toml, std::string_view source,
                    const std::vector<std::string>& sets, const std::string& context,
                    bool checked = true) {
  try {
    if (checked) return load_scenario_text(base_toml, source, sets);
    Scenario s;
    Schema schema = make_schema(s);
    load_scenario_string(base_toml, source, sets, schema);
    fill_defaults(s);
    return s;
  } catch (const ScenarioError& e) {
    std::string why = e.what();
    if (why.starts_with("--set: ")) why.erase(0, 7);  // the context says where it came from
    throw ScenarioError(context + ": " + without_location(std::move(why), source));
  }
}

// An intervention's start or end given as a number is a week number: whole weeks.
bool whole_weeks_key(std::string_view key) {
  return key.starts_with("interventions.") && (key.ends_with(".start") || key.ends_with(".end"));
}

std::string sweep_text(const Sweep& s) {
  std::string t = s.key + "=";
  for (std::size_t i = 0; i < s.values.size(); ++i) t += (i ? "," : "") + s.values[i];
  return t;
}

// Grid: the Cartesian product, the last sweep varying fastest (like nested loops in --sweep order).
std::vector<std::vector<std::string>> grid_points(const std::vector<Sweep>& sweeps) {
  std::vector<std::vector<std::string>> points{{}};
  for (const Sweep& s : sweeps) {
    std::vector<std::vector<std::string>> next;
    next.reserve(points.size() * s.values.size());
    for (const auto& p : points)
      for (const std::string& v : s.values) {
        next.push_back(p);
        next.back().push_back(v);
      }
    points = std::move(next);
  }
  return points;
}

// Latin hypercube: for each key, the range [min, max] of its values cut into N equal strata; each
// stratum is used once per key (a random permutation per key), at a uniform position inside it.
// Integer keys are rounded to the nearest integer.
std::vector<std::vector<std::string>> lhs_points(const DesignRequest& req, Scenario& probe,
                                                 std::string_view base_toml,
                                                 std::string_view source) {
  const auto n = static_cast<std::size_t>(req.samples);
  std::vector<std::vector<std::string>> points(n);
  SplitMix rng(splitmix64(req.master_seed ^ 0x6c68735f64657369ULL));  // "lhs_desi"
  for (const Sweep& s : req.sweeps) {
    const auto f = scenario_field(probe, s.key);
    const bool scalar = f && std::holds_alternative<Scalar*>(*f);
    const bool integer =
        f && (std::holds_alternative<std::int64_t*>(*f) || (scalar && whole_weeks_key(s.key)));
    if (!f || !(integer || scalar || std::holds_alternative<double*>(*f)))
      throw DesignError("--sweep " + sweep_text(s) + ": --design lhs needs numeric keys (" + s.key +
                        " is not a number; use --design grid for it)");
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const std::string& v : s.values) {
      Scenario one =
          load_point(base_toml, source, {s.key + "=" + v}, "--sweep " + sweep_text(s), false);
      // A Scalar takes numbers, booleans, names and dates: only numbers can be sampled.
      if (scalar && std::get<Scalar*>(*scenario_field(one, s.key))->kind != Scalar::Kind::number)
        throw DesignError("--sweep " + sweep_text(s) + ": --design lhs needs numbers (" + s.key +
                          "=" + v + " is not a number" +
                          (whole_weeks_key(s.key) ? "; give week numbers, or" : ";") +
                          " use --design grid for it)");
      const double x = numeric_value(one, s.key);
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }  // both ends were loaded, so every sample in between is in range
    std::vector<std::size_t> stratum(n);
    for (std::size_t i = 0; i < n; ++i) stratum[i] = i;
    for (std::size_t i = n; i > 1; --i) std::swap(stratum[i - 1], stratum[rng.below(i)]);
    for (std::size_t i = 0; i < n; ++i) {
      const double u = (static_cast<double>(stratum[i]) + rng.uniform()) / static_cast<double>(n);
      double x = lo + u * (hi - lo);
      x = std::clamp(integer ? std::round(x) : x, lo, hi);
      points[i].push_back(integer ? std::to_string(static_cast<std::int64_t>(x)) : number_text(x));
    }
  }
  return points;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

}  // namespace

std::optional<FieldPtr> scenario_field(Scenario& s, std::string_view key) {
  std::vector<std::string> parts;
  for (std::size_t b = 0;;) {
    const std::size_t e = key.find('.', b);
    parts.emplace_back(key.substr(b, e == std::string_view::npos ? key.npos : e - b));
    if (e == std::string_view::npos) break;
    b = e + 1;
  }
  Schema schema = make_schema(s);
  auto in_section = [&](const SectionSchema& sec, const std::string& k) -> std::optional<FieldPtr> {
    for (const FieldSlot& f : sec.fields)
      if (f.meta.key == k) return f.ptr;
    return std::nullopt;
  };
  if (parts.size() == 2) {
    for (const SectionSchema& sec : schema.sections)
      if (sec.name == parts[0]) return in_section(sec, parts[1]);
  } else if (parts.size() == 3) {
    for (const TableArraySchema& a : schema.arrays) {
      if (a.name != parts[0]) continue;
      std::size_t i = 0;
      const std::string& n = parts[1];
      const auto r = std::from_chars(n.data(), n.data() + n.size(), i);
      if (r.ec != std::errc() || r.ptr != n.data() + n.size() || i >= a.size()) return std::nullopt;
      return in_section(a.element(i), parts[2]);
    }
  }
  return std::nullopt;
}

Sweep parse_sweep(std::string_view text) {
  const std::string shown = "--sweep '" + std::string(text) + "'";
  const auto eq = text.find('=');
  if (eq == std::string_view::npos)
    throw DesignError(shown +
                      ": expected KEY=V1,V2,... (for example levers.animation=0.2,0.5,0.8)");
  Sweep s;
  s.key = io::trim(text.substr(0, eq));
  if (s.key.empty()) throw DesignError(shown + ": the key is empty (expected KEY=V1,V2,...)");
  const std::string_view rest = text.substr(eq + 1);
  if (io::trim(rest).empty())
    throw DesignError(shown + ": no values, so the design would be empty (expected KEY=V1,V2,...)");
  for (std::size_t b = 0;;) {
    const std::size_t e = rest.find(',', b);
    std::string v = io::trim(rest.substr(b, e == std::string_view::npos ? rest.npos : e - b));
    if (v.empty()) throw DesignError(shown + ": an empty value between commas");
    s.values.push_back(std::move(v));
    if (e == std::string_view::npos) break;
    b = e + 1;
  }
  return s;
}

std::string_view design_kind_name(DesignKind k) { return k == DesignKind::grid ? "grid" : "lhs"; }

bool fixed_key(std::string_view key) {
  return key == "simulation.weeks" || key == "simulation.start_date" || key == "simulation.seed";
}

std::vector<std::string> EnsemblePlan::point_sets(std::int64_t point) const {
  std::vector<std::string> out;
  const auto& v = values[static_cast<std::size_t>(point)];
  for (std::size_t k = 0; k < keys.size(); ++k) out.push_back(keys[k] + "=" + v[k]);
  return out;
}

std::vector<std::string> EnsemblePlan::run_sets(std::int64_t run) const {
  std::vector<std::string> out = request.base_sets;
  for (std::string& s : point_sets(point_of(run))) out.push_back(std::move(s));
  return out;
}

std::int64_t planned_runs(const DesignRequest& request) {
  constexpr std::int64_t kCap = std::int64_t{1} << 62;
  const auto times = [](std::int64_t n, std::int64_t k) {
    k = std::max<std::int64_t>(1, k);
    return n > kCap / k ? kCap : n * k;
  };
  std::int64_t n = request.kind == DesignKind::lhs ? request.samples : 1;
  if (request.kind == DesignKind::grid)
    for (const Sweep& sw : request.sweeps)
      n = times(n, static_cast<std::int64_t>(sw.values.size()));
  return times(n, request.replicates);
}

EnsemblePlan make_plan(const std::filesystem::path& scenario, const DesignRequest& request) {
  const Scenario base = load_scenario(scenario, request.base_sets);
  return make_plan_from_toml(resolved_toml(base), scenario.string(), request);
}

EnsemblePlan make_plan_from_toml(std::string_view base_toml, std::string_view source,
                                 const DesignRequest& req) {
  if (req.replicates < 1) throw DesignError("--replicates must be at least 1");
  std::vector<std::string> seen;
  for (const Sweep& s : req.sweeps) {
    if (fixed_key(s.key))
      throw DesignError("--sweep " + sweep_text(s) + ": " + s.key +
                        " cannot be swept (the runs of an ensemble share the weeks, the start date "
                        "and the seed rule; run one ensemble per value instead)");
    if (std::find(seen.begin(), seen.end(), s.key) != seen.end())
      throw DesignError("--sweep " + s.key +
                        " is given twice (give each key once, with all its "
                        "values: KEY=V1,V2,...)");
    seen.push_back(s.key);
    for (const std::string& v : s.values)
      if (v.find('\n') != std::string::npos)
        throw DesignError("--sweep " + s.key + ": a value contains a line break");
  }
  for (const std::string& s : req.base_sets)
    if (s.find('\n') != std::string::npos)
      throw DesignError("--set: a value contains a line break");
  if (req.kind == DesignKind::lhs) {
    if (req.sweeps.empty())
      throw DesignError(
          "--design lhs needs at least one --sweep KEY=MIN,MAX (the ranges to sample)");
    if (req.samples < 1)
      throw DesignError("--samples " + std::to_string(req.samples) +
                        ": a Latin hypercube needs at least 1 sample, or the design is empty");
  } else if (req.samples != 0) {
    throw DesignError(
        "--samples applies to --design lhs only (a grid has one point per "
        "combination of the swept values)");
  }

  EnsemblePlan plan;
  plan.request = req;
  plan.base = load_scenario_text(base_toml, source);
  // Each value alone first, so that a bad key, type or range is reported with its own --sweep;
  // the rules between keys (a shock inside the horizon, an intervention's end after its start,
  // its ramp inside its span) are checked at the points, where every swept value is in place.
  for (const Sweep& s : req.sweeps)
    for (const std::string& v : s.values)
      load_point(base_toml, source, {s.key + "=" + v}, "--sweep " + sweep_text(s), false);
  plan.base_toml = std::string(base_toml);
  plan.scenario_name = plan.base.simulation.name;
  for (const Sweep& s : req.sweeps) plan.keys.push_back(s.key);
  plan.values = req.kind == DesignKind::grid ? grid_points(req.sweeps)
                                             : lhs_points(req, plan.base, base_toml, source);
  constexpr std::int64_t kMaxRuns = std::numeric_limits<std::int32_t>::max();
  if (static_cast<double>(plan.points()) * static_cast<double>(req.replicates) > kMaxRuns)
    throw DesignError("the design has " + std::to_string(plan.points()) + " points x " +
                      std::to_string(req.replicates) + " replicates, more than " +
                      std::to_string(kMaxRuns) + " runs");

  auto names = [](const auto& specs) {
    std::vector<std::string> n;
    for (const auto& x : specs) n.push_back(x.name);
    return n;
  };
  for (std::int64_t p = 0; p < plan.points(); ++p) {
    const std::vector<std::string> sets = plan.point_sets(p);
    Scenario s = load_point(base_toml, source, sets,
                            "--sweep point " + std::to_string(p) + " (" + join(sets, " ") + ")");
    if (names(s.territories) != names(plan.base.territories) ||
        names(s.platforms) != names(plan.base.platforms))
      throw DesignError("--sweep point " + std::to_string(p) + " (" + join(sets, " ") +
                        "): changes the territories or platforms; the runs of an ensemble share "
                        "these axes");
    std::vector<double> row;
    for (const std::string& k : plan.keys) row.push_back(numeric_value(s, k));
    plan.design.push_back(std::move(row));
    plan.scenarios.push_back(std::move(s));
  }
  for (std::int64_t r = 0; r < req.replicates; ++r)
    plan.seeds.push_back(replicate_seed(req.master_seed, r));

  // Everything that determines the file's content, so shards of one ensemble share the id.
  std::string id_text = std::string("cdpsim ensemble\n") + version + "\n" + plan.base_toml;
  id_text += "\nbase_sets\n" + join(req.base_sets, "\n");
  id_text += "\ndesign " + std::string(design_kind_name(req.kind)) + " " +
             std::to_string(req.samples) + "\nkeys\n" + join(plan.keys, "\n");
  for (const auto& v : plan.values) id_text += "\npoint\n" + join(v, "\n");
  id_text += "\nreplicates " + std::to_string(req.replicates) + "\nmaster_seed " +
             std::to_string(req.master_seed);
  plan.ensemble_id = io::fnv1a_hex(id_text);
  return plan;
}

void branch_plan(EnsemblePlan& plan, const Checkpoint& c, const std::string& path) {
  plan.from = path;
  plan.branch_week = c.week();
  for (std::size_t p = 0; p < plan.scenarios.size(); ++p) {
    Branch b = make_branch(c, plan.scenarios[p], path, SeedPolicy::reseed, 0);
    plan.scenarios[p] = std::move(b.scenario);
    plan.starts.push_back(std::make_shared<const Checkpoint>(std::move(b.start)));
  }
  // The history is part of what the file holds.
  plan.ensemble_id =
      io::fnv1a_hex(plan.ensemble_id + "\nfrom " + path + "\nweek " + std::to_string(c.week()) +
                    "\nseed " + std::to_string(c.seed) + "\n" + c.scenario_toml);
}

}  // namespace cdpsim
