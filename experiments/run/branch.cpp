#include "experiments/run/branch.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "experiments/scenario_io.hpp"
#include "models/interventions.hpp"
#include "sim/splitmix.hpp"

namespace cdpsim {

namespace {

bool same(const FieldPtr& a, const FieldPtr& b) {
  return std::visit(
      [&](auto* pa) {
        using P = decltype(pa);
        return *pa == *std::get<P>(b);
      },
      a);
}

std::string shown(const FieldPtr& p) {
  return std::visit(
      [](auto* v) -> std::string {
        using T = std::decay_t<decltype(*v)>;
        if constexpr (std::is_same_v<T, double>) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.17g", *v);
          return buf;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(*v);
        } else if constexpr (std::is_same_v<T, bool>) {
          return *v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return "\"" + *v + "\"";
        } else if constexpr (std::is_same_v<T, Date>) {
          return v->to_string();
        } else {
          return v->given() ? "a value" : "nothing";
        }
      },
      p);
}

// Keys a branch may change without consequence for the shared history.
bool free_to_differ(const std::string& section, std::string_view key) {
  if (section == "simulation") return key == "name" || key == "question" || key == "weeks";
  if (section == "output") return key != "per_cdp_series";
  return false;
}

[[noreturn]] void refuse(std::string_view source, const std::string& key, const std::string& why) {
  throw ScenarioError(std::string(source) + ": " + key + ": " + why);
}

bool same_intervention(InterventionSpec& a, InterventionSpec& b) {
  SectionSchema sa{"", "", {}}, sb{"", "", {}};
  FieldCollector ca{sa}, cb{sb};
  a.visit(ca);
  b.visit(cb);
  for (std::size_t i = 0; i < sa.fields.size(); ++i)
    if (!same(sa.fields[i].ptr, sb.fields[i].ptr)) return false;
  return true;
}

Scalar scalar_of(const FieldPtr& p) {
  if (const auto* d = std::get_if<double*>(&p)) return Scalar::of(**d);
  if (const auto* b = std::get_if<bool*>(&p)) return Scalar::of_bool(**b);
  return Scalar::of_text(*std::get<std::string*>(p));
}

}  // namespace

SeedPolicy parse_seed_policy(std::string_view text) {
  if (text == "continue") return SeedPolicy::continue_run;
  if (text == "reseed") return SeedPolicy::reseed;
  throw std::invalid_argument("unknown seed policy '" + std::string(text) +
                              "' (allowed: continue, reseed)");
}

std::string_view seed_policy_name(SeedPolicy p) {
  return p == SeedPolicy::continue_run ? "continue" : "reseed";
}

std::uint64_t reseeded(std::uint64_t run_seed, std::int64_t week) {
  return hash64(run_seed, static_cast<std::uint64_t>(week));
}

Branch make_branch(const Checkpoint& from, const Scenario& requested_in, std::string_view source,
                   SeedPolicy policy, std::uint64_t reseed) {
  const std::int64_t W = from.week();
  Scenario base = load_scenario_text(from.scenario_toml, from.path.string());
  Scenario requested = requested_in;
  Scenario branch = base;
  branch.simulation.name = requested.simulation.name;
  branch.simulation.question = requested.simulation.question;
  branch.simulation.weeks = requested.simulation.weeks;
  branch.output = requested.output;
  branch.output.per_cdp_series = base.output.per_cdp_series;
  if (requested.simulation.weeks < W)
    refuse(source, "simulation.weeks",
           std::to_string(requested.simulation.weeks) + " ends before the branch week " +
               std::to_string(W) + " (allowed: at least " + std::to_string(W) + ")");

  // Sections: mid-run keys become interventions from W; the rest must be equal.
  const Schema sb = make_schema(base);
  const Schema sr = make_schema(requested);
  std::vector<InterventionSpec> added;
  for (std::size_t i = 0; i < sb.sections.size(); ++i) {
    const SectionSchema& a = sb.sections[i];
    const SectionSchema& b = sr.sections[i];
    for (std::size_t j = 0; j < a.fields.size(); ++j) {
      if (same(a.fields[j].ptr, b.fields[j].ptr) || free_to_differ(a.name, a.fields[j].meta.key))
        continue;
      const std::string key = a.name + "." + std::string(a.fields[j].meta.key);
      if (key == "simulation.seed") {  // the seed policy decides
        if (policy == SeedPolicy::continue_run)
          refuse(source, key,
                 shown(b.fields[j].ptr) + " is not the checkpoint's run's seed " +
                     shown(a.fields[j].ptr) +
                     ": with the continue seed policy a branch draws that run's random numbers "
                     "(allowed: the same seed, or --seed-policy reseed)");
        continue;
      }
      if (find_mid_run_key(key) == nullptr)
        refuse(source, key,
               "differs from the checkpoint's scenario (" + shown(a.fields[j].ptr) + " there, " +
                   shown(b.fields[j].ptr) +
                   " here); a branch shares the history, so it may change only what may change "
                   "during a run (allowed: the mid-run keys listed by `cdpsim params`, "
                   "simulation.weeks, name and question, output.*)");
      InterventionSpec in;
      in.name = "branch: " + key;
      in.key = key;
      in.set = scalar_of(b.fields[j].ptr);
      in.start = Scalar::of(static_cast<double>(W));
      added.push_back(std::move(in));
    }
  }
  // Arrays of tables other than interventions are the world's make-up.
  for (std::size_t i = 0; i < sb.arrays.size(); ++i) {
    const TableArraySchema& a = sb.arrays[i];
    if (a.name == "interventions") continue;
    const TableArraySchema& b = sr.arrays[i];
    bool equal = a.size() == b.size();
    for (std::size_t e = 0; equal && e < a.size(); ++e) {
      const SectionSchema ea = a.element(e), eb = b.element(e);
      for (std::size_t j = 0; equal && j < ea.fields.size(); ++j)
        equal = same(ea.fields[j].ptr, eb.fields[j].ptr);
    }
    if (!equal)
      refuse(source, a.name,
             "differs from the checkpoint's scenario; a branch shares the history, so its " +
                 a.name + " cannot change (allowed: the same [[" + a.name +
                 "]] as the checkpoint's run; change levers and parameters with interventions)");
  }
  // Interventions: the checkpoint's stay; the branch's others are new and start at W or later.
  for (std::size_t i = 0; i < requested.interventions.size(); ++i) {
    InterventionSpec& r = requested.interventions[i];
    const bool known = std::any_of(base.interventions.begin(), base.interventions.end(),
                                   [&](InterventionSpec& b) { return same_intervention(b, r); });
    if (!known) branch.interventions.push_back(r);
  }
  const std::size_t first_new = base.interventions.size();
  for (InterventionSpec& in : added) branch.interventions.push_back(std::move(in));
  const InterventionPlan plan = plan_interventions(branch, source);
  for (std::size_t i = first_new; i < plan.items.size(); ++i)
    if (plan.items[i].start < W)
      refuse(source, "interventions[" + std::to_string(i - first_new) + "].start",
             "week " + std::to_string(plan.items[i].start) + " is before the branch week " +
                 std::to_string(W) + " (allowed: from week " + std::to_string(W) +
                 " on: the history is the checkpoint's)");
  validate(branch, source);

  // The checkpoint's content as a run of `branch` has it: new interventions not yet in force,
  // and each week's record with their columns (not in force; their keys at the scenario's value).
  Branch out{branch, from};
  Checkpoint& c = out.start;
  c.scenario_toml = resolved_toml(branch);
  c.state.interventions.live.resize(plan.items.size());
  const InterventionPlan old_plan = plan_interventions(base, from.path.string());
  std::map<int, std::size_t> old_param;  // mid-run key -> index in the old records' params
  for (std::size_t p = 0; p < old_plan.params.size(); ++p) old_param[old_plan.params[p]] = p;
  std::vector<double> base_value(plan.params.size());
  for (std::size_t p = 0; p < plan.params.size(); ++p)
    base_value[p] = key_number(mid_run_keys()[static_cast<std::size_t>(plan.params[p])], base);
  for (WeekRecord& r : c.weeks) {
    std::vector<double> params(plan.params.size());
    for (std::size_t p = 0; p < plan.params.size(); ++p) {
      const auto it = old_param.find(plan.params[p]);
      params[p] = it != old_param.end() ? r.params[it->second] : base_value[p];
    }
    r.params = std::move(params);
    r.interventions_active.resize(plan.items.size(), 0);
  }
  if (!c.weeks.empty()) c.state.last = c.weeks.back();
  c.origin.checkpoint = from.path.string();
  c.origin.week = W;
  c.origin.seed_policy = std::string(seed_policy_name(policy));
  if (policy == SeedPolicy::reseed) c.seed = reseed;
  return out;
}

}  // namespace cdpsim
