#include "experiments/sensitivity/sensitivity_output.hpp"

#include <algorithm>
#include <cdpsim/version.hpp>
#include <charconv>
#include <cmath>
#include <fstream>
#include <string>

#include "experiments/durable.hpp"
#include "experiments/metrics/attributes.hpp"
#include "experiments/text/catalogue.hpp"
#include "sim/io/nc_reader.hpp"
#include "sim/io/nc_writer.hpp"
#include "sim/io/text.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

namespace {

using io::Attr;
using sensitivity::Estimate;
using sensitivity::kNaN;

std::vector<Attr> meta(std::string units, std::string long_name) {
  return {{"units", std::move(units)}, {"long_name", std::move(long_name)}};
}

std::vector<std::int32_t> iota32(std::size_t n) {
  std::vector<std::int32_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(i);
  return v;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

bool is_sobol(const SensitivityPlan& p) { return p.request.method == SensitivityMethod::sobol; }

// Index tables over (stratum, metric, input), filled from each cell.
template <class T, class F>
std::vector<T> per_input(const SensitivityPlan& p, const SensitivityReport& rep, F get) {
  const std::size_t S = p.strata(), M = p.metrics.size(), K = p.levers.size();
  std::vector<T> v(S * M * K);
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t m = 0; m < M; ++m)
      for (std::size_t i = 0; i < K; ++i) v[(s * M + m) * K + i] = get(rep.cell(p, s, m), i);
  return v;
}

template <class T, class F>
std::vector<T> per_cell(const SensitivityPlan& p, const SensitivityReport& rep, F get) {
  const std::size_t S = p.strata(), M = p.metrics.size();
  std::vector<T> v(S * M);
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t m = 0; m < M; ++m) v[s * M + m] = get(rep.cell(p, s, m));
  return v;
}

void write_estimates(io::NcWriter& f, const SensitivityPlan& p, const SensitivityReport& rep,
                     const std::string& name, const std::string& long_name,
                     const std::vector<Estimate>& (*pick)(const SensitivityCell&)) {
  const std::vector<std::string> dims = {"stratum", "metric", "lever"};
  auto field = [&](double Estimate::*member) {
    return per_input<double>(
        p, rep, [&](const SensitivityCell& c, std::size_t i) { return pick(c)[i].*member; });
  };
  f.write<double>(name, dims, field(&Estimate::value), meta("1", long_name));
  f.write<double>(name + "_ci_low", dims, field(&Estimate::low),
                  meta("1", long_name + ": 95% bootstrap percentile interval, low"));
  f.write<double>(name + "_ci_high", dims, field(&Estimate::high),
                  meta("1", long_name + ": 95% bootstrap percentile interval, high"));
}

void write_sum(io::NcWriter& f, const SensitivityPlan& p, const SensitivityReport& rep,
               const std::string& name, const std::string& long_name,
               Estimate sensitivity::SobolIndices::*member) {
  const std::vector<std::string> dims = {"stratum", "metric"};
  auto field = [&](double Estimate::*part) {
    return per_cell<double>(p, rep,
                            [&](const SensitivityCell& c) { return (c.sobol.*member).*part; });
  };
  f.write<double>(name, dims, field(&Estimate::value), meta("1", long_name));
  f.write<double>(name + "_ci_low", dims, field(&Estimate::low), meta("1", long_name + ": low"));
  f.write<double>(name + "_ci_high", dims, field(&Estimate::high), meta("1", long_name + ": high"));
}

// Per-replicate indices over (stratum, metric, replicate, lever).
template <class F>
std::vector<double> per_replicate(const SensitivityPlan& p, const SensitivityReport& rep, F get) {
  const std::size_t S = p.strata(), M = p.metrics.size(), K = p.levers.size();
  const auto R = static_cast<std::size_t>(p.replicates());
  std::vector<double> v(S * M * R * K);
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t m = 0; m < M; ++m)
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t i = 0; i < K; ++i)
          v[((s * M + m) * R + r) * K + i] = get(rep.cell(p, s, m), r, i);
  return v;
}

std::string exact(double v) {
  if (!std::isfinite(v)) return {};
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string fixed(double v, int width = 6, Lang lang = Lang::en) {
  if (!std::isfinite(v)) return pad(text(lang, Text::not_available), width, false);
  char buf[64];
  const double a = std::fabs(v);
  if (a != 0 && (a < 0.001 || a >= 1e5))
    std::snprintf(buf, sizeof buf, "%*.1e", width, v);
  else if (a >= 100)
    std::snprintf(buf, sizeof buf, "%*.1f", width, v);
  else
    std::snprintf(buf, sizeof buf, "%*.3f", width, v);
  return localize_number(buf, lang);
}

// "[ 0.123,  0.456]"; French "[ 0,123 ;  0,456]" (the comma is the decimal mark).
std::string interval(const Estimate& e, Lang lang = Lang::en) {
  if (!std::isfinite(e.low)) return std::string(17, ' ');
  std::string s(1, '[');
  s += fixed(e.low, 6, lang);
  s += lang == Lang::fr ? "\u202f; " : ", ";
  s += fixed(e.high, 6, lang);
  s += ']';
  return s;
}

const std::vector<Estimate>& total_of(const SensitivityCell& c) { return c.sobol.total; }
const std::vector<Estimate>& first_of(const SensitivityCell& c) { return c.sobol.first; }
const std::vector<Estimate>& mu_of(const SensitivityCell& c) { return c.morris.mu; }
const std::vector<Estimate>& mu_star_of(const SensitivityCell& c) { return c.morris.mu_star; }
const std::vector<Estimate>& sigma_of(const SensitivityCell& c) { return c.morris.sigma; }

std::string percent(double v, Lang lang = Lang::en) {
  if (!std::isfinite(v)) return std::string(text(lang, Text::not_available));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", 100 * v);
  return localize_number(buf, lang) + (lang == Lang::fr ? "\u00a0%" : "%");
}

}  // namespace

std::int64_t sensitivity_run_checksum(const SensitivityPlan& plan, std::int64_t run,
                                      std::span<const double> values) {
  Fnv1a h;
  h.integer(run);
  h.integer(static_cast<std::int64_t>(plan.seed_of(run)));
  h.values(values);
  return h.stored();
}

void write_sensitivity_file(const fs::path& path, const SensitivityPlan& plan,
                            const SensitivityData& data, const SensitivityReport* report) {
  const std::size_t S = plan.strata(), C = plan.cohorts.size(), M = plan.metrics.size(),
                    V = plan.variants.size();
  const auto P = static_cast<std::size_t>(plan.points());
  const auto R = static_cast<std::size_t>(plan.replicates());
  io::NcWriter f(path);

  std::vector<std::string> strata, stratum_variant, stratum_cohort, variant_names, variant_sets,
      units, meanings, groups;
  for (std::size_t s = 0; s < S; ++s) {
    strata.push_back(plan.stratum_name(s));
    stratum_variant.push_back(plan.variants[s / C].name);
    stratum_cohort.push_back(plan.cohorts[s % C]);
  }
  for (const SensitivityVariant& v : plan.variants) {
    variant_names.push_back(v.name.empty() ? "base" : v.name);
    variant_sets.push_back(join(v.sets, " "));
  }
  for (const std::string& m : plan.metrics) {
    units.emplace_back(metric(m).unit);
    meanings.emplace_back(metric(m).meaning);
  }
  for (int idx : plan.lever_index)
    groups.push_back(idx == kKeyInput ? "intervention"
                     : idx < 0        ? "dummy"
                               : std::string(kLeverInfo[static_cast<std::size_t>(idx)].group));

  f.add_coordinate("lever", plan.levers,
                   {{"long_name", std::string("input: a lever in [0, 1], an intervention key over "
                                              "its range (--input), or the dummy (the random "
                                              "numbers: the noise floor)")}});
  f.add_coordinate("metric", plan.metrics, {{"long_name", std::string("output metric")}});
  f.add_coordinate("stratum", strata, {{"long_name", std::string("stratum (variant/cohort)")}});
  f.add_coordinate("variant", variant_names,
                   {{"long_name", std::string("version of the scenario every point runs in")}});
  const std::vector<std::int32_t> points = iota32(P), reps = iota32(R);
  f.add_coordinate("point", std::span<const std::int32_t>(points), meta("1", "design point"));
  f.add_coordinate("replicate", std::span<const std::int32_t>(reps),
                   meta("1", "replicate of a design point"));
  f.write_strings("lever_group", "lever", groups, {{"long_name", std::string("lever group")}});
  f.write_strings("metric_units", "metric", units, {{"long_name", std::string("unit")}});
  f.write_strings("metric_meaning", "metric", meanings, {{"long_name", std::string("meaning")}});
  write_metric_table(f, plan.metrics, false);
  f.write_strings("stratum_variant", "stratum", stratum_variant,
                  {{"long_name", std::string("scenario variant of the stratum (\"\": none)")}});
  f.write_strings("stratum_cohort", "stratum", stratum_cohort,
                  {{"long_name", std::string("CdP cohort of the stratum: all, a phase at the "
                                             "measurement week, or born_after")}});
  f.write_strings("variant_set", "variant", variant_sets,
                  {{"long_name", std::string("--set overrides that make the variant")}});

  f.write_strings("input_key", "lever", plan.input_keys,
                  {{"long_name", std::string("the --set key the input sets (\"\": the dummy)")}});
  f.write<double>("input_low", {"lever"}, plan.input_low,
                  meta("1", "lowest value of the input (0 for levers and the dummy)"));
  f.write<double>("input_high", {"lever"}, plan.input_high,
                  meta("1", "highest value of the input (1 for levers and the dummy)"));

  // The design and the seeds.
  f.write<double>("design", {"point", "lever"}, plan.design(),
                  meta("1",
                       "design coordinate of each input at each design point, in [0, 1]: the "
                       "value of a lever; input_low + design (input_high - input_low) for an "
                       "intervention key (see input_value)"));
  std::vector<double> values(P * static_cast<std::size_t>(plan.inputs()));
  for (std::size_t p = 0; p < P; ++p) {
    const auto x = plan.point(static_cast<std::int64_t>(p));
    for (std::size_t i = 0; i < x.size(); ++i) values[p * x.size() + i] = plan.input_value(i, x[i]);
  }
  f.write<double>("input_value", {"point", "lever"}, values,
                  meta("see input_key",
                       "value each input is set to at each design point (the "
                       "run's --set; whole inputs rounded)"));
  std::vector<std::int32_t> group(P), step(P);
  const std::size_t block = static_cast<std::size_t>(plan.inputs()) + (is_sobol(plan) ? 2 : 1);
  for (std::size_t p = 0; p < P; ++p) {
    group[p] = static_cast<std::int32_t>(p / block);
    step[p] = static_cast<std::int32_t>(p % block);
  }
  f.write<std::int32_t>(
      "point_group", {"point"}, group,
      meta("1", is_sobol(plan) ? "base sample j of the Saltelli design" : "Morris trajectory"));
  f.write<std::int32_t>(
      "point_step", {"point"}, step,
      meta("1", is_sobol(plan) ? "0: A_j; 1 + i: AB_j^i (input i from B); k + 1: B_j"
                               : "step along the trajectory (0: its start)"));
  if (!is_sobol(plan))
    f.write<std::int32_t>("changed_lever", {"point"}, plan.morris.changed,
                          meta("1", "input moved since the previous step (-1 at a start)"));
  std::vector<std::int64_t> seeds(plan.seeds.begin(), plan.seeds.end());
  f.write<std::int64_t>("seed", {"point", "replicate"}, seeds,
                        meta("1",
                             "seed of the run (cdpsim run --seed); the same for points that "
                             "share the dummy's value"));

  // The raw outputs over (stratum, point, replicate, metric).
  std::vector<double> outputs(S * P * R * M, kNaN);
  std::vector<std::int8_t> complete(V * P * R, 0);
  std::vector<std::int64_t> checksum(V * P * R, 0);
  const std::size_t width = C * M;
  for (std::size_t v = 0; v < V; ++v)
    for (std::size_t p = 0; p < P; ++p)
      for (std::size_t r = 0; r < R; ++r) {
        const std::int64_t run = static_cast<std::int64_t>((v * P + p) * R + r);
        complete[(v * P + p) * R + r] = data.complete[static_cast<std::size_t>(run)];
        if (complete[(v * P + p) * R + r])
          checksum[(v * P + p) * R + r] =
              sensitivity_run_checksum(plan, run,
                                       std::span<const double>(data.values)
                                           .subspan(static_cast<std::size_t>(run) * width, width));
        for (std::size_t c = 0; c < C; ++c)
          for (std::size_t m = 0; m < M; ++m)
            outputs[(((v * C + c) * P + p) * R + r) * M + m] = data.value(plan, run, c, m);
      }
  f.write<double>("outputs", {"stratum", "point", "replicate", "metric"}, outputs,
                  meta("see metric_units",
                       "metric value of each run at the horizon (NaN: "
                       "undefined for the cohort, or the run is missing)"));
  f.write<std::int8_t>("run_complete", {"variant", "point", "replicate"}, complete,
                       {{"long_name", std::string("1: the run finished; 0: missing")},
                        {"flag_values", std::string("0 1")},
                        {"flag_meanings", std::string("missing finished")}});
  f.write<std::int64_t>(
      "run_checksum", {"variant", "point", "replicate"}, checksum,
      {{"long_name",
        std::string("FNV-1a 64 of the run's index, seed and metric values (cohort-major, "
                    "little-endian bytes), as a signed integer; 0 when missing: "
                    "--resume recomputes it")}});

  if (report) {
    const SensitivityReport& rep = *report;
    const std::vector<std::string> sml = {"stratum", "metric", "lever"};
    if (is_sobol(plan)) {
      write_estimates(f, plan, rep, "S1", "first-order Sobol index (Saltelli 2010)", first_of);
      write_estimates(f, plan, rep, "ST", "total Sobol index (Jansen 1999)", total_of);
      write_sum(f, plan, rep, "S1_sum", "sum of S1 over the inputs",
                &sensitivity::SobolIndices::first_sum);
      write_sum(f, plan, rep, "ST_sum", "sum of ST over the inputs",
                &sensitivity::SobolIndices::total_sum);
      f.write<double>("S1_by_replicate", {"stratum", "metric", "replicate", "lever"},
                      per_replicate(plan, rep,
                                    [](const SensitivityCell& c, std::size_t r, std::size_t i) {
                                      return c.sobol_by_replicate[r].first[i].value;
                                    }),
                      meta("1",
                           "S1 from one replicate's outputs alone (its spread shows the "
                           "replicate noise)"));
      f.write<double>("ST_by_replicate", {"stratum", "metric", "replicate", "lever"},
                      per_replicate(plan, rep,
                                    [](const SensitivityCell& c, std::size_t r, std::size_t i) {
                                      return c.sobol_by_replicate[r].total[i].value;
                                    }),
                      meta("1", "ST from one replicate's outputs alone"));
    } else {
      write_estimates(f, plan, rep, "mu_star",
                      "Morris mu*: mean absolute elementary effect "
                      "(metric units per unit of lever)",
                      mu_star_of);
      write_estimates(f, plan, rep, "mu", "Morris mu: mean elementary effect", mu_of);
      write_estimates(f, plan, rep, "sigma",
                      "Morris sigma: standard deviation of the "
                      "elementary effects",
                      sigma_of);
      f.write<double>("mu_star_by_replicate", {"stratum", "metric", "replicate", "lever"},
                      per_replicate(plan, rep,
                                    [](const SensitivityCell& c, std::size_t r, std::size_t i) {
                                      return c.morris_by_replicate[r].mu_star[i].value;
                                    }),
                      meta("1", "mu* from one replicate's outputs alone"));
    }
    f.write<std::int8_t>(
        "influential", sml,
        per_input<std::int8_t>(
            plan, rep, [](const SensitivityCell& c, std::size_t i) { return c.influential[i]; }),
        {{"long_name", std::string("1: the lever's interval (ST or mu*) lies above the noise "
                                   "floor; 0: it does not; -1: undefined (and for the dummy)")},
         {"flag_values", std::string("-1 0 1")},
         {"flag_meanings", std::string("undefined not_influential influential")}});
    f.write<std::int32_t>(
        "rank", sml,
        per_input<std::int32_t>(plan, rep,
                                [](const SensitivityCell& c, std::size_t i) { return c.rank[i]; }),
        meta("1",
             "rank by influence (1: most influential; the dummy ranked "
             "too; -1: undefined)"));
    const std::vector<std::string> sm = {"stratum", "metric"};
    f.write<double>(
        "noise_floor", sm,
        per_cell<double>(plan, rep, [](const SensitivityCell& c) { return c.noise_floor; }),
        meta("1", std::string("upper bound of the dummy's ") + (is_sobol(plan) ? "ST" : "mu*") +
                      " interval"));
    f.write<double>(
        "output_mean", sm,
        per_cell<double>(plan, rep, [](const SensitivityCell& c) { return c.output_mean; }),
        meta("see metric_units", "mean of the point means"));
    f.write<double>(
        "output_variance", sm,
        per_cell<double>(plan, rep, [](const SensitivityCell& c) { return c.output_variance; }),
        meta("see metric_units, squared", "variance of the point means over the design"));
    f.write<double>(
        "replicate_variance", sm,
        per_cell<double>(plan, rep, [](const SensitivityCell& c) { return c.replicate_variance; }),
        meta("see metric_units, squared",
             "mean variance between the replicates of a point (one run's noise)"));
    f.write<double>(
        "noise_share", sm,
        per_cell<double>(plan, rep, [](const SensitivityCell& c) { return c.noise_share; }),
        meta("1",
             "share of output_variance that is replicate noise left in a "
             "point mean (replicate_variance / replicates / output_variance)"));
    f.write<std::int64_t>(
        "rows_used", sm,
        per_cell<std::int64_t>(plan, rep, [](const SensitivityCell& c) { return c.rows_used; }),
        meta("1", is_sobol(plan) ? "base samples with every output defined"
                                 : "trajectories with every output defined"));
  }

  const auto& q = plan.request;
  f.set_attribute({"title", "cdpsim sensitivity analysis of " + plan.scenario_name});
  f.set_attribute({"Conventions", std::string("CF-1.8")});
  f.set_attribute({"cdpsim_version", std::string(version)});
  f.set_attribute({"output_kind", std::string("sensitivity")});
  f.set_attribute({"status", std::string(data.interrupted ? "interrupted" : "complete")});
  f.set_attribute({"method", std::string(method_name(q.method))});
  f.set_attribute({"sensitivity_id", plan.id});
  f.set_attribute({"scenario_name", plan.scenario_name});
  f.set_attribute({"scenario_toml", plan.base_toml});
  f.set_attribute({"base_sets", join(q.base_sets, " ")});
  f.set_attribute({"samples", q.samples});
  f.set_attribute({"replicates", q.replicates});
  f.set_attribute({"points", plan.points()});
  f.set_attribute({"runs_total", plan.runs()});
  f.set_attribute({"runs_complete", data.runs_done});
  f.set_attribute({"master_seed", static_cast<std::int64_t>(q.master_seed)});
  f.set_attribute({"horizon_weeks", plan.horizon});
  f.set_attribute({"stratify", join(q.stratify, ",")});
  f.set_attribute({"phase_week", plan.phase_week});
  f.set_attribute({"bootstrap_resamples", static_cast<std::int64_t>(q.bootstrap)});
  f.set_attribute({"confidence_level", 0.95});
  if (is_sobol(plan)) {
    f.set_attribute({"design", std::string("Saltelli: A, B from an Owen-scrambled Sobol sequence "
                                           "(Joe-Kuo new-joe-kuo-6.21201) in 2k dimensions; "
                                           "N (k + 2) points")});
  } else {
    f.set_attribute({"design", std::string("Morris trajectories, Campolongo 2007 spread "
                                           "selection (greedy)")});
    f.set_attribute({"levels", static_cast<std::int64_t>(plan.morris.levels)});
    f.set_attribute({"delta", plan.morris.delta});
    f.set_attribute({"candidates", static_cast<std::int64_t>(plan.morris.candidates)});
  }
  f.set_attribute(
      {"seed_rule", std::string("seed(point, r) = replicate_seed(hash(master_seed, dummy value), "
                                "r): common random numbers among points that share the dummy's "
                                "value; the dummy moves no mechanism")});
  f.close();
}

SensitivityFileHeader read_sensitivity_header(const fs::path& path) {
  try {
    io::NcReader r(path);
    SensitivityFileHeader h;
    if (!r.has_attribute("output_kind") ||
        (h.output_kind = r.string_attribute("output_kind")) != "sensitivity")
      throw SensitivityError(path.string() + ": not a cdpsim sensitivity file (output_kind '" +
                             h.output_kind + "')");
    h.status = r.string_attribute("status");
    h.sensitivity_id = r.string_attribute("sensitivity_id");
    h.runs_total = r.int_attribute("runs_total");
    h.runs_complete = r.int_attribute("runs_complete");
    return h;
  } catch (const SensitivityError&) {
    throw;
  } catch (const std::exception& e) {
    throw SensitivityError(path.string() + ": not a readable cdpsim sensitivity file (" + e.what() +
                           ")");
  }
}

SensitivityData read_sensitivity_runs(const fs::path& path, const SensitivityPlan& plan) {
  const SensitivityFileHeader h = read_sensitivity_header(path);
  if (h.sensitivity_id != plan.id)
    throw SensitivityError(path.string() +
                           ": belongs to another sensitivity analysis (another "
                           "scenario, --set, --method, --levers, --samples, --replicates, "
                           "--metric, --stratify, --phase-week, --levels or --seed), so it cannot "
                           "be resumed with these arguments");
  const std::size_t S = plan.strata(), C = plan.cohorts.size(), M = plan.metrics.size(),
                    V = plan.variants.size();
  const auto P = static_cast<std::size_t>(plan.points());
  const auto R = static_cast<std::size_t>(plan.replicates());
  SensitivityData d;
  try {
    io::NcReader r(path);
    const std::vector<double> outputs = r.read<double>("outputs");
    const std::vector<std::int8_t> complete = r.read<std::int8_t>("run_complete");
    if (outputs.size() != S * P * R * M || complete.size() != V * P * R)
      throw SensitivityError(path.string() + ": its arrays do not have this analysis's shape");
    std::vector<std::int64_t> stored;  // none in files written before the checksums
    if (r.has_variable("run_checksum")) stored = r.read<std::int64_t>("run_checksum");
    if (stored.size() != V * P * R) stored.clear();
    d.values.assign(V * P * R * C * M, kNaN);
    d.complete.assign(V * P * R, 0);
    const std::size_t width = C * M;
    for (std::size_t v = 0; v < V; ++v)
      for (std::size_t p = 0; p < P; ++p)
        for (std::size_t rr = 0; rr < R; ++rr) {
          const std::size_t run = (v * P + p) * R + rr;
          if (!complete[run]) continue;
          for (std::size_t c = 0; c < C; ++c)
            for (std::size_t m = 0; m < M; ++m)
              d.values[(run * C + c) * M + m] = outputs[(((v * C + c) * P + p) * R + rr) * M + m];
          const auto values = std::span<const double>(d.values).subspan(run * width, width);
          if (!stored.empty() && stored[run] == sensitivity_run_checksum(
                                                    plan, static_cast<std::int64_t>(run), values)) {
            d.complete[run] = 1;
            ++d.runs_done;
          } else {  // edited, damaged, or flagged by hand: run again
            std::fill_n(d.values.begin() + static_cast<std::ptrdiff_t>(run * width), width, kNaN);
            d.rejected.push_back(static_cast<std::int64_t>(run));
          }
        }
  } catch (const SensitivityError&) {
    throw;
  } catch (const std::exception& e) {
    throw SensitivityError(path.string() + ": cannot read its runs (" + e.what() + ")");
  }
  d.interrupted = d.runs_done < plan.runs();
  return d;
}

void write_sensitivity_csv(const fs::path& path, const SensitivityPlan& plan,
                           const SensitivityReport& rep) {
  io::write_text_file(path, [&](std::ostream& out) {
    const bool sobol = is_sobol(plan);
    out << "stratum,metric,lever,rank,"
        << (sobol
                ? "ST,ST_low,ST_high,S1,S1_low,S1_high,"
                : "mu_star,mu_star_low,mu_star_high,mu,mu_low,mu_high,sigma,sigma_low,sigma_high,")
        << "influential,noise_floor,noise_share,rows_used\n";
    for (std::size_t s = 0; s < plan.strata(); ++s)
      for (std::size_t m = 0; m < plan.metrics.size(); ++m) {
        const SensitivityCell& c = rep.cell(plan, s, m);
        for (std::size_t i = 0; i < plan.levers.size(); ++i) {
          out << plan.stratum_name(s) << ',' << plan.metrics[m] << ',' << plan.levers[i] << ','
              << (c.rank[i] > 0 ? std::to_string(c.rank[i]) : std::string()) << ',';
          auto est = [&](const Estimate& e) {
            out << exact(e.value) << ',' << exact(e.low) << ',' << exact(e.high) << ',';
          };
          if (sobol) {
            est(c.sobol.total[i]);
            est(c.sobol.first[i]);
          } else {
            est(c.morris.mu_star[i]);
            est(c.morris.mu[i]);
            est(c.morris.sigma[i]);
          }
          out << (c.influential[i] < 0 ? std::string() : std::to_string(c.influential[i])) << ','
              << exact(c.noise_floor) << ',' << exact(c.noise_share) << ',' << c.rows_used << '\n';
        }
      }
  });
}

void print_sensitivity(std::FILE* out, const SensitivityPlan& plan, const SensitivityData& data,
                       const SensitivityReport& rep, Lang lang) {
  const auto T = [lang](Text k) { return std::string(text(lang, k)); };
  const auto& q = plan.request;
  const bool sobol = is_sobol(plan);
  const std::size_t K = plan.levers.size();
  const char* measure = sobol ? "ST" : "mu*";
  const std::string rows_word = T(sobol ? Text::sens_base_samples : Text::sens_trajectories);
  std::size_t keys = 0;
  int w = 24;  // width of the input column
  for (std::size_t i = 0; i < K; ++i) {
    keys += plan.lever_index[i] == kKeyInput ? 1 : 0;
    w = std::max(w, static_cast<int>(plan.levers[i].size()));
  }
  // Counted nouns agree with their number (whole templates per form).
  auto counted = [&](std::size_t n, Text one, Text many) {
    char b[128];
    std::snprintf(b, sizeof b, T(singular(static_cast<double>(n), lang) ? one : many).c_str(),
                  std::to_string(n).c_str());
    return std::string(b);
  };
  std::string what = counted(K - 1 - keys, Text::sens_levers_one, Text::sens_levers_many);
  if (keys) what += ", " + counted(keys, Text::sens_inputs_one, Text::sens_inputs_many);
  std::fprintf(out, T(Text::sens_header).c_str(),
               T(sobol ? Text::sens_sobol : Text::sens_morris).c_str(), plan.scenario_name.c_str(),
               what.c_str());
  for (std::size_t i = 0; i < K; ++i)
    if (plan.lever_index[i] == kKeyInput)
      std::fprintf(out, T(Text::sens_input).c_str(), plan.levers[i].c_str(),
                   localize_number(exact(plan.input_low[i]), lang).c_str(),
                   localize_number(exact(plan.input_high[i]), lang).c_str(),
                   plan.input_whole[i] ? T(Text::sens_whole).c_str() : "");
  if (sobol) {
    std::fprintf(out, T(Text::sens_design_sobol).c_str(), static_cast<long long>(q.samples), K,
                 static_cast<long long>(plan.points()));
  } else {
    char delta[32];
    std::snprintf(delta, sizeof delta, "%.3f", plan.morris.delta);
    std::fprintf(out, T(Text::sens_design_morris).c_str(), static_cast<long long>(q.samples), K,
                 static_cast<long long>(plan.points()), plan.morris.levels,
                 localize_number(delta, lang).c_str(), plan.morris.candidates);
  }
  std::fprintf(out, T(Text::sens_runs).c_str(), static_cast<long long>(plan.points()),
               static_cast<long long>(q.replicates), plan.variants.size(),
               static_cast<long long>(plan.runs()), static_cast<long long>(plan.horizon),
               static_cast<long long>(data.simulated));
  std::fprintf(out, T(Text::sens_seeds).c_str(), static_cast<unsigned long long>(q.master_seed));
  std::fprintf(out, T(Text::sens_intervals).c_str(), q.bootstrap, rows_word.c_str());
  if (plan.phase_week >= 0)
    std::fprintf(out, T(Text::sens_cohorts).c_str(), static_cast<long long>(plan.phase_week));
  std::fprintf(out, T(Text::sens_star).c_str(), measure);

  for (std::size_t m = 0; m < plan.metrics.size(); ++m) {
    const Metric& info = metric(plan.metrics[m]);
    std::fprintf(out, T(Text::sens_metric).c_str(), plan.metrics[m].c_str(),
                 unit_word(info.unit, lang).c_str(),
                 std::string(metric_meaning(info, lang)).c_str());
    for (std::size_t s = 0; s < plan.strata(); ++s) {
      const SensitivityCell& c = rep.cell(plan, s, m);
      std::fprintf(out, T(Text::sens_stratum).c_str(), plan.metrics[m].c_str(),
                   plan.stratum_name(s).c_str());
      std::fprintf(out, T(Text::sens_cell).c_str(), fixed(c.output_mean, 1, lang).c_str(),
                   fixed(c.output_variance, 1, lang).c_str(), percent(c.noise_share, lang).c_str(),
                   static_cast<long long>(c.rows_used), static_cast<long long>(q.samples),
                   rows_word.c_str());
      if (c.rows_used < min_rows(plan) || !std::isfinite(c.influence[0])) {
        if (c.rows_used < min_rows(plan))
          std::fprintf(out, T(Text::sens_too_few).c_str(), static_cast<long long>(c.rows_used),
                       rows_word.c_str(), static_cast<long long>(min_rows(plan)));
        else
          std::fprintf(out, "%s", T(Text::sens_constant).c_str());
        continue;
      }
      // Column heads padded by display width, so that accented words line up.
      const std::string ci = pad(T(Text::sens_ci), 17, true);
      std::fprintf(out, "  %s  %s %s  %s  %s  %s\n", T(Text::sens_rank).c_str(),
                   pad(T(Text::sens_lever), w, true).c_str(), pad(measure, 6, false).c_str(),
                   ci.c_str(), pad(sobol ? "S1" : "mu", 6, false).c_str(),
                   sobol ? ci.c_str() : pad("sigma", 6, false).c_str());
      std::vector<std::size_t> order(K);
      for (std::size_t i = 0; i < K; ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const int ra = c.rank[a] > 0 ? c.rank[a] : 1 << 30,
                  rb = c.rank[b] > 0 ? c.rank[b] : 1 << 30;
        return ra < rb;
      });
      for (std::size_t i : order) {
        if (i == K - 1)
          std::fprintf(out, T(Text::sens_noise_floor).c_str(),
                       fixed(c.noise_floor, 1, lang).c_str(), measure);
        const std::string rank = c.rank[i] > 0 ? std::to_string(c.rank[i]) : "-";
        const char* mark = c.influential[i] == 1 ? "*" : "";
        if (sobol)
          std::fprintf(out, "  %4s  %-*s %s  %s  %s  %s %s\n", rank.c_str(), w,
                       plan.levers[i].c_str(), fixed(c.sobol.total[i].value, 6, lang).c_str(),
                       interval(c.sobol.total[i], lang).c_str(),
                       fixed(c.sobol.first[i].value, 6, lang).c_str(),
                       interval(c.sobol.first[i], lang).c_str(), mark);
        else
          std::fprintf(out, "  %4s  %-*s %s  %s  %s  %s %s\n", rank.c_str(), w,
                       plan.levers[i].c_str(), fixed(c.morris.mu_star[i].value, 6, lang).c_str(),
                       interval(c.morris.mu_star[i], lang).c_str(),
                       fixed(c.morris.mu[i].value, 6, lang).c_str(),
                       fixed(c.morris.sigma[i].value, 6, lang).c_str(), mark);
      }
      if (sobol)
        std::fprintf(out, "        %s %s  %s  %s  %s\n", pad(T(Text::sens_sum), w, true).c_str(),
                     fixed(c.sobol.total_sum.value, 6, lang).c_str(),
                     interval(c.sobol.total_sum, lang).c_str(),
                     fixed(c.sobol.first_sum.value, 6, lang).c_str(),
                     interval(c.sobol.first_sum, lang).c_str());
    }

    // Ranks side by side, when there are several strata: strata with indices only, at most
    // seven columns per table.
    std::vector<std::size_t> shown, blank;
    for (std::size_t s = 0; s < plan.strata(); ++s)
      (std::isfinite(rep.cell(plan, s, m).influence[0]) ? shown : blank).push_back(s);
    if (plan.strata() < 2) continue;
    std::fprintf(out, T(Text::sens_ranks).c_str(), plan.metrics[m].c_str(), measure);
    if (!blank.empty()) {
      std::string names;
      for (std::size_t s : blank) names += (names.empty() ? "" : ", ") + plan.stratum_name(s);
      std::fprintf(out, T(Text::sens_no_indices).c_str(), names.c_str());
    }
    if (shown.empty()) continue;
    // Levers in the order of their mean rank over the strata shown.
    std::vector<std::pair<double, std::size_t>> by_mean;
    for (std::size_t i = 0; i < K; ++i) {
      double sum = 0;
      int n = 0;
      for (std::size_t s : shown)
        if (rep.cell(plan, s, m).rank[i] > 0) {
          sum += rep.cell(plan, s, m).rank[i];
          ++n;
        }
      by_mean.push_back({n ? sum / n : 1e9, i});
    }
    std::stable_sort(by_mean.begin(), by_mean.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    constexpr std::size_t kColumns = 7;
    for (std::size_t from = 0; from < shown.size(); from += kColumns) {
      const std::size_t to = std::min(shown.size(), from + kColumns);
      int width = 6;
      for (std::size_t j = from; j < to; ++j)
        width = std::max(width, static_cast<int>(plan.stratum_name(shown[j]).size()));
      std::fprintf(out, "  %s", pad(T(Text::sens_lever), w, true).c_str());
      for (std::size_t j = from; j < to; ++j)
        std::fprintf(out, "  %*s", width, plan.stratum_name(shown[j]).c_str());
      std::fprintf(out, "\n");
      for (const auto& [_, i] : by_mean) {
        std::fprintf(out, "  %-*s", w, plan.levers[i].c_str());
        for (std::size_t j = from; j < to; ++j) {
          const SensitivityCell& c = rep.cell(plan, shown[j], m);
          std::string cell = c.rank[i] > 0 ? std::to_string(c.rank[i]) : "-";
          cell += c.influential[i] == 1 ? "*" : " ";
          std::fprintf(out, "  %*s", width, cell.c_str());
        }
        std::fprintf(out, "\n");
      }
    }
  }
}

}  // namespace cdpsim
