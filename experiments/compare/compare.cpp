#include "experiments/compare/compare.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "experiments/ensemble/design.hpp"
#include "experiments/metrics/metrics.hpp"
#include "experiments/scenario_io.hpp"
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

// The value of number parameter `key` in `s` (keys checked by read_param_sets()).
double number_of(const Scenario& s, const std::string& key) {
  Scenario copy = s;
  const Schema schema = make_schema(copy);
  const FieldSlot* slot = find_slot(schema, key);
  if (!slot) throw std::logic_error("number_of: no parameter " + key);
  if (const auto* d = std::get_if<double*>(&slot->ptr)) return **d;
  if (const auto* i = std::get_if<std::int64_t*>(&slot->ptr)) return static_cast<double>(**i);
  throw std::logic_error("number_of: " + key + " is not a number");
}

std::string shortest(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string set_key(const std::string& assignment) {
  return io::trim(assignment.substr(0, assignment.find('=')));
}

// Mean of the values that are not NaN (NaN when none).
double mean_defined(const std::vector<double>& x) {
  double sum = 0.0;
  std::size_t n = 0;
  for (double v : x)
    if (!std::isnan(v)) {
      sum += v;
      ++n;
    }
  return n ? sum / static_cast<double>(n) : kNaN;
}

// The p-th quantile (0 <= p <= 1) of a non-empty sample by linear interpolation between order
// statistics (Hyndman and Fan's type 7, NumPy's and R's default).
// The column of a hypothesis's metric among the computed ones.
std::size_t metric_index(const CompareRequest& q, const Hypothesis& h) {
  const auto m = static_cast<std::size_t>(std::find(q.metrics.begin(), q.metrics.end(), h.metric) -
                                          q.metrics.begin());
  if (m == q.metrics.size())
    throw std::logic_error("hypothesis metric '" + h.metric + "' was not computed");
  return m;
}

double quantile(std::vector<double> x, double p) {
  std::sort(x.begin(), x.end());
  const double h = p * static_cast<double>(x.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

}  // namespace

void apply_param_sets(CompareRequest& q, const std::vector<std::string>& sets) {
  const ParamSets& p = q.param_sets;
  for (const std::string& a : sets)
    for (const std::string& k : p.keys)
      if (set_key(a) == k)
        throw CompareError("--set " + a + ": " + k + " is also a column of " + p.path +
                           ", which sets it in every run (allowed: --set of other keys, or a "
                           "file without that column)");
  for (const std::string& k : p.keys) {
    const double base = number_of(q.scenarios[0].scenario, k);
    for (std::size_t s = 1; s < q.scenarios.size(); ++s)
      if (number_of(q.scenarios[s].scenario, k) != base)
        throw CompareError(
            "--param-sets " + p.path + ": scenario '" + q.scenarios[s].name + "' has " + k + " = " +
            shortest(number_of(q.scenarios[s].scenario, k)) + " where the baseline '" +
            q.scenarios[0].name + "' has " + shortest(base) +
            ": every set would give both the same value and erase the difference compared "
            "(allowed: parameter columns that the compared scenarios do not vary)");
  }
  q.set_scenarios.assign(p.size(), {});
  for (std::size_t k = 0; k < p.size(); ++k) {
    std::vector<std::string> overrides = sets;
    for (const std::string& o : p.sets(k)) overrides.push_back(o);
    for (const CompareScenario& c : q.scenarios) {
      try {
        q.set_scenarios[k].push_back(load_scenario(c.path, overrides));
      } catch (const ScenarioError& e) {
        throw CompareError(p.path + ":" + std::to_string(p.lines[k]) + ": the parameter set " +
                           "of this line makes " + c.path + " invalid: " + e.what());
      }
    }
  }
}

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
  if (q.param_sets.size() == 1)
    throw CompareError("--param-sets " + q.param_sets.path +
                       ": one parameter set gives no spread over sets (allowed: at least 2 "
                       "sets; for one point, --set its values)");
  if (q.param_sets.size() > 0 && !q.from.empty())
    throw CompareError("--param-sets " + q.param_sets.path + " with --from " + q.from +
                       ": the checkpoint's history was simulated with its own parameters "
                       "(allowed: one of the two)");
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
  const auto K = q.sets(), S = q.scenarios.size(), R = static_cast<std::size_t>(q.replicates),
             M = q.metrics.size();
  CompareData d;
  const bool same_numbers = !q.from.empty() && q.policy == SeedPolicy::continue_run;
  // Replicate r of set k: seed replicate_seed(master, k * R + r) in every scenario of the set.
  for (std::size_t u = 0; u < K * R; ++u)
    d.seeds.push_back(same_numbers ? q.scenarios[0].start->seed
                                   : replicate_seed(q.master_seed, static_cast<std::int64_t>(u)));
  const std::size_t runs = K * S * R;
  d.values.assign(runs * M, 0.0);
  const std::vector<std::int64_t> all = run_indices(static_cast<std::int64_t>(runs));
  const RunPool pool(group, stop, on_done);
  const PoolOutcome outcome = pool.run(all, [&](std::int64_t run_index) {
    const auto run = static_cast<std::size_t>(run_index);  // (k * S + s) * R + r
    const std::size_t k = run / (S * R), s = run / R % S, r = run % R;
    const std::uint64_t base_seed = d.seeds[k * R + r];
    // A reseeded branch draws from reseeded(seed, week): `cdpsim run --from CHECKPOINT --seed
    // SEED --seed-policy reseed` gives the same run.
    const std::uint64_t seed = !q.from.empty() && q.policy == SeedPolicy::reseed
                                   ? reseeded(base_seed, q.branch_week)
                                   : base_seed;
    const RunSummary sum =
        simulate_summary(q.scenario_of(k, s), seed, q.horizon, {}, q.scenarios[s].start.get());
    for (std::size_t j = 0; j < M; ++j) d.values[run * M + j] = metric_value(sum, q.metrics[j]);
  });
  const std::vector<std::uint8_t> finished =
      pool.gather(d.values, outcome, static_cast<std::int64_t>(runs));
  if (group.is_root()) {
    for (std::uint8_t f : finished) d.runs_done += f;
    d.interrupted = d.runs_done < static_cast<std::int64_t>(runs);
  }
  return d;
}

namespace {

// The statistics over parameter sets (with_param_sets()).
CompareReport analyse_sets(const CompareRequest& q, const CompareData& d,
                           const std::vector<Hypothesis>& hypotheses) {
  const auto K = q.sets(), S = q.scenarios.size(), R = static_cast<std::size_t>(q.replicates);
  auto sample = [&](std::size_t k, std::size_t s, std::size_t m) {
    std::vector<double> v(R);
    for (std::size_t r = 0; r < R; ++r) v[r] = d.value(q, k, s, r, m);
    return v;
  };
  // Per set: the means over the replicates where both a and b have a value (NaN when none),
  // and that set's own paired test.
  struct PerSet {
    std::vector<double> a, b;             // [k]
    std::vector<stats::PairedTest> test;  // [k]
  };
  auto per_set = [&](std::size_t sa, std::size_t sb, std::size_t m) {
    PerSet p;
    for (std::size_t k = 0; k < K; ++k) {
      const std::vector<double> x = sample(k, sa, m), y = sample(k, sb, m);
      std::vector<double> xa, yb;
      for (std::size_t r = 0; r < R; ++r)
        if (!std::isnan(x[r]) && !std::isnan(y[r])) {
          xa.push_back(x[r]);
          yb.push_back(y[r]);
        }
      p.a.push_back(xa.empty() ? kNaN : mean_defined(xa));
      p.b.push_back(yb.empty() ? kNaN : mean_defined(yb));
      p.test.push_back(paired_defined(x, y));
    }
    return p;
  };
  CompareReport rep;
  for (std::size_t m = 0; m < q.metrics.size(); ++m) {
    for (std::size_t s = 0; s < S; ++s) {
      CompareRow row;
      row.scenario = s;
      row.metric = m;
      std::vector<double> means(K);
      for (std::size_t k = 0; k < K; ++k) means[k] = mean_defined(sample(k, s, m));
      row.summary = summarize_defined(means);
      if (s > 0) {
        const PerSet p = per_set(s, 0, m);
        row.diff = paired_defined(p.a, p.b);
        SetSpread sp;
        std::vector<double> dk;
        double within = 0.0, noise_of_mean = 0.0;
        std::size_t with_var = 0;
        for (std::size_t k = 0; k < K; ++k) {
          if (std::isnan(p.a[k])) continue;
          dk.push_back(p.a[k] - p.b[k]);
          const stats::PairedTest& t = p.test[k];
          if (t.n >= 2) {
            within += t.sd_diff * t.sd_diff;
            noise_of_mean += t.sd_diff * t.sd_diff / static_cast<double>(t.n);
            ++with_var;
          }
        }
        if (dk.empty()) {
          sp.band_low = sp.band_high = sp.sd_within = sp.sd_between = sp.share_positive = kNaN;
        } else {
          sp.band_low = quantile(dk, 0.025);
          sp.band_high = quantile(dk, 0.975);
          sp.share_positive = static_cast<double>(std::count_if(dk.begin(), dk.end(),
                                                                [](double v) { return v > 0.0; })) /
                              static_cast<double>(dk.size());
          sp.sd_within = with_var ? std::sqrt(within / static_cast<double>(with_var)) : kNaN;
          const double var_d = row.diff->n >= 2 ? row.diff->sd_diff * row.diff->sd_diff : kNaN;
          sp.sd_between =
              with_var && !std::isnan(var_d)
                  ? std::sqrt(std::max(0.0, var_d - noise_of_mean / static_cast<double>(with_var)))
                  : kNaN;
        }
        row.spread = sp;
      }
      rep.rows.push_back(row);
    }
  }
  for (const Hypothesis& h : hypotheses) {
    const std::size_t m = metric_index(q, h);
    const PerSet p = per_set(h.a, h.b, m);
    HypothesisResult res;
    res.hypothesis = h;
    res.test = paired_defined(p.a, p.b);
    res.p_value = h.greater ? res.test.p_greater : res.test.p_less;
    const bool direction = h.greater ? res.test.mean_diff > 0.0 : res.test.mean_diff < 0.0;
    res.supported = direction && res.p_value < kAlpha;
    std::size_t with_diff = 0, in_direction = 0, supported = 0;
    for (std::size_t k = 0; k < K; ++k) {
      const stats::PairedTest& t = p.test[k];
      if (t.n == 0) continue;
      ++with_diff;
      const bool dir = h.greater ? t.mean_diff > 0.0 : t.mean_diff < 0.0;
      in_direction += dir ? 1 : 0;
      const double pk = h.greater ? t.p_greater : t.p_less;
      supported += dir && pk < kAlpha ? 1 : 0;  // NaN p (one pair): not supported
    }
    if (with_diff) {
      res.share_sets_supported = static_cast<double>(supported) / static_cast<double>(with_diff);
      res.share_sets_direction = static_cast<double>(in_direction) / static_cast<double>(with_diff);
    }
    rep.hypotheses.push_back(res);
  }
  return rep;
}

}  // namespace

CompareReport analyse(const CompareRequest& q, const CompareData& d,
                      const std::vector<Hypothesis>& hypotheses) {
  if (q.with_param_sets()) return analyse_sets(q, d, hypotheses);
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
    const std::size_t m = metric_index(q, h);
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
