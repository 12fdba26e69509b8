#include "experiments/compare/compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "experiments/ensemble/design.hpp"
#include "experiments/metrics/metrics.hpp"
#include "sim/io/text.hpp"
#include "sim/scenario/loader.hpp"

namespace cdpsim {

namespace {

std::string scenario_names(const std::vector<CompareScenario>& sc) {
  std::string s;
  for (const auto& c : sc) s += (s.empty() ? "'" : ", '") + c.name + "'";
  return s;
}

std::vector<std::string> metric_names() {
  std::vector<std::string> n;
  for (const Metric* m : ecosystem_metrics()) n.emplace_back(m->name);
  return n;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A sample without its undefined values (NaN: the metric has no value in that run).
stats::Summary summarize_defined(const std::vector<double>& x) {
  std::vector<double> v;
  for (double e : x)
    if (!std::isnan(e)) v.push_back(e);
  if (v.empty()) return {0, kNaN, kNaN, kNaN, kNaN};
  return stats::summarize(v, kConfidence);
}

// The paired test over the replicates where both samples have a value; with fewer than 2 such
// pairs, no test (NaN), and n says how many there were.
stats::PairedTest paired_defined(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> x, y;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!std::isnan(a[i]) && !std::isnan(b[i])) {
      x.push_back(a[i]);
      y.push_back(b[i]);
    }
  if (x.size() >= 2) return stats::paired_t_test(x, y, kConfidence);
  stats::PairedTest t;
  t.n = x.size();
  t.mean_diff = x.size() == 1 ? x[0] - y[0] : kNaN;
  t.sd_diff = t.ci_low = t.ci_high = t.t = t.df = t.effect_size = kNaN;
  t.p_two_sided = t.p_greater = t.p_less = kNaN;
  return t;
}

}  // namespace

bool pays_for_interventions(const Scenario& s) {
  return std::any_of(s.interventions.begin(), s.interventions.end(), [](const InterventionSpec& i) {
    return i.cost_per_hour > 0 || i.cost_per_week > 0;
  });
}

void check_metric(const std::string& name) {
  const std::vector<std::string> names = metric_names();
  if (std::find(names.begin(), names.end(), name) != names.end()) return;
  std::string allowed;
  for (const auto& n : names) allowed += (allowed.empty() ? "" : ", ") + n;
  const std::string near = nearest_name(name, names);
  throw CompareError("unknown metric '" + name + "'" +
                     (near.empty() ? "" : " (did you mean '" + near + "'?)") +
                     "; allowed: " + allowed);
}

Hypothesis parse_hypothesis(const std::string& text, const std::vector<CompareScenario>& sc) {
  const std::string shown = "--hypothesis \"" + text + "\"";
  const std::string form = " (expected \"OTHER > BASELINE on METRIC\" or \"A < B on METRIC\")";
  const auto on = text.rfind(" on ");
  if (on == std::string::npos) throw CompareError(shown + ": no ' on METRIC'" + form);
  Hypothesis h;
  h.text = text;
  h.metric = io::trim(text.substr(on + 4));
  const std::string lhs = text.substr(0, on);
  const auto gt = lhs.find('>'), lt = lhs.find('<');
  if ((gt == std::string::npos) == (lt == std::string::npos) ||
      lhs.find_first_of("<>", std::min(gt, lt) + 1) != std::string::npos)
    throw CompareError(shown + ": needs exactly one '>' or '<'" + form);
  h.greater = gt != std::string::npos;
  const std::size_t op = h.greater ? gt : lt;
  const std::string names[2] = {io::trim(lhs.substr(0, op)), io::trim(lhs.substr(op + 1))};
  std::size_t idx[2];
  for (int k = 0; k < 2; ++k) {
    auto by = [&](auto get) {
      for (std::size_t i = 0; i < sc.size(); ++i)
        if (get(sc[i]) == names[k]) return i;
      return sc.size();
    };
    idx[k] = by([](const CompareScenario& c) { return c.name; });
    if (idx[k] == sc.size())
      idx[k] = by([](const CompareScenario& c) { return c.scenario.simulation.name; });
    if (idx[k] == sc.size())
      throw CompareError(shown + ": no scenario named '" + names[k] +
                         "' (allowed: " + scenario_names(sc) + ", or their simulation.name)");
  }
  if (idx[0] == idx[1]) throw CompareError(shown + ": compares a scenario with itself");
  h.a = idx[0];
  h.b = idx[1];
  try {
    check_metric(h.metric);
  } catch (const CompareError& e) {
    throw CompareError(shown + ": " + e.what());
  }
  return h;
}

void check_request(const CompareRequest& q) {
  if (q.scenarios.size() < 2)
    throw CompareError("compare needs a baseline and at least one other scenario");
  for (std::size_t i = 0; i < q.scenarios.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (q.scenarios[i].name == q.scenarios[j].name)
        throw CompareError("two scenarios are named '" + q.scenarios[i].name + "' (" +
                           q.scenarios[j].path + " and " + q.scenarios[i].path +
                           "): file names must differ, since tables and hypotheses use them");
  if (q.replicates < 2)
    throw CompareError("--replicates " + std::to_string(q.replicates) +
                       ": a comparison needs at least 2 replicates to estimate its uncertainty");
  if (q.metrics.empty()) throw CompareError("no metric to compare");
  for (const std::string& m : q.metrics) check_metric(m);
  if (q.horizon < 1) throw CompareError("--horizon must be at least 1 week");
  if (!q.from.empty() && q.horizon <= q.branch_week)
    throw CompareError("--horizon " + std::to_string(q.horizon) + ": the branches start at week " +
                       std::to_string(q.branch_week) + " of " + q.from +
                       " (allowed: a horizon after it)");
  if (!q.from.empty() && q.policy == SeedPolicy::continue_run && q.replicates != 1)
    throw CompareError(
        "--seed-policy continue: every replicate would draw the checkpoint's run's random "
        "numbers after the branch and be the same run (allowed: --replicates 1, or --seed-policy "
        "reseed, the default with --from)");
  for (const CompareScenario& c : q.scenarios)
    if (c.scenario.simulation.weeks < q.horizon)
      throw CompareError("--horizon " + std::to_string(q.horizon) + ": scenario '" + c.name +
                         "' has only " + std::to_string(c.scenario.simulation.weeks) +
                         " weeks (every scenario must reach the horizon)");
}

CompareData run_comparison(const CompareRequest& q, ProcessGroup& group,
                           const std::atomic<bool>* stop, const RunProgress& on_done) {
  const auto S = q.scenarios.size(), R = static_cast<std::size_t>(q.replicates),
             M = q.metrics.size();
  CompareData d;
  const bool same_numbers = !q.from.empty() && q.policy == SeedPolicy::continue_run;
  for (std::size_t r = 0; r < R; ++r)
    d.seeds.push_back(same_numbers ? q.scenarios[0].start->seed
                                   : replicate_seed(q.master_seed, static_cast<std::int64_t>(r)));
  d.values.assign(S * R * M, 0.0);
  const std::vector<std::int64_t> all = run_indices(static_cast<std::int64_t>(S * R));
  const RunPool pool(group, stop, on_done);
  const PoolOutcome outcome = pool.run(all, [&](std::int64_t run_index) {
    const auto run = static_cast<std::size_t>(run_index);
    const std::size_t s = run / R, r = run % R;
    // A reseeded branch draws from reseeded(seed, week): `cdpsim run --from CHECKPOINT --seed
    // SEED --seed-policy reseed` gives the same run.
    const std::uint64_t seed = !q.from.empty() && q.policy == SeedPolicy::reseed
                                   ? reseeded(d.seeds[r], q.branch_week)
                                   : d.seeds[r];
    const RunSummary sum =
        simulate_summary(q.scenarios[s].scenario, seed, q.horizon, {}, q.scenarios[s].start.get());
    for (std::size_t j = 0; j < M; ++j) d.values[run * M + j] = metric_value(sum, q.metrics[j]);
  });
  const std::vector<std::uint8_t> finished =
      pool.gather(d.values, outcome, static_cast<std::int64_t>(S * R));
  if (group.is_root()) {
    for (std::uint8_t f : finished) d.runs_done += f;
    d.interrupted = d.runs_done < static_cast<std::int64_t>(S * R);
  }
  return d;
}

CompareReport analyse(const CompareRequest& q, const CompareData& d,
                      const std::vector<Hypothesis>& hypotheses) {
  const auto S = q.scenarios.size(), R = static_cast<std::size_t>(q.replicates);
  auto sample = [&](std::size_t s, std::size_t m) {
    std::vector<double> v(R);
    for (std::size_t r = 0; r < R; ++r) v[r] = d.value(q, s, r, m);
    return v;
  };
  CompareReport rep;
  for (std::size_t m = 0; m < q.metrics.size(); ++m) {
    const std::vector<double> base = sample(0, m);
    for (std::size_t s = 0; s < S; ++s) {
      CompareRow row;
      row.scenario = s;
      row.metric = m;
      const std::vector<double> x = sample(s, m);
      row.summary = summarize_defined(x);
      if (s > 0) row.diff = paired_defined(x, base);
      rep.rows.push_back(row);
    }
  }
  for (const Hypothesis& h : hypotheses) {
    const auto m = static_cast<std::size_t>(
        std::find(q.metrics.begin(), q.metrics.end(), h.metric) - q.metrics.begin());
    if (m == q.metrics.size())
      throw std::logic_error("hypothesis metric '" + h.metric + "' was not computed");
    HypothesisResult res;
    res.hypothesis = h;
    res.test = paired_defined(sample(h.a, m), sample(h.b, m));
    res.p_value = h.greater ? res.test.p_greater : res.test.p_less;
    const bool direction = h.greater ? res.test.mean_diff > 0.0 : res.test.mean_diff < 0.0;
    res.supported = direction && res.p_value < kAlpha;
    rep.hypotheses.push_back(res);
  }
  return rep;
}

}  // namespace cdpsim
