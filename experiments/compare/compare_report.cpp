#include "experiments/compare/compare_report.hpp"

#include <cdpsim/version.hpp>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>

#include "experiments/metrics/attributes.hpp"
#include "experiments/scenario_io.hpp"
#include "sim/io/nc_writer.hpp"
#include "sim/io/text.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Shortest text that reads back as exactly `v`; "" for NaN and infinities.
std::string exact(double v) {
  if (!std::isfinite(v)) return {};
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// A few significant digits for the terminal.
std::string readable(double v, bool sign = false) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  const double a = std::fabs(v);
  const char* f = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g";
  std::snprintf(buf, sizeof buf, f, v);
  std::string s = buf;
  if (sign && v > 0) s.insert(s.begin(), '+');
  return s;
}

// A share as a whole percentage ("20" for 0.1966).
std::string percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", 100.0 * share);
  return buf;
}

std::string p_text(double p) {
  if (std::isnan(p)) return "n/a";
  if (p < 0.001) return "<0.001";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", p);
  return buf;
}

std::string effect_text(double d) {
  if (std::isnan(d)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", d);
  return buf;
}

std::string json_number(double v) {
  const std::string s = exact(v);
  return s.empty() ? "null" : s;
}

}  // namespace

void print_comparison(std::FILE* out, const CompareRequest& q, const CompareReport& rep,
                      Lang lang) {
  const auto T = [lang](Text k) { return std::string(text(lang, k)); };
  const auto num = [lang](double v, bool sign = false) {
    return std::isnan(v) ? std::string(text(lang, Text::not_available))
                         : localize_number(readable(v, sign), lang);
  };
  const auto ci = [&](double lo, double hi, bool sign = false) {
    std::string s(1, '[');  // appended, not "[" + ...: GCC 12 warns about the latter (-Wrestrict)
    s += num(lo, sign);
    s += lang == Lang::fr ? " ; " : ", ";
    s += num(hi, sign);
    return s + "]";
  };
  const auto pv = [&](double p) {
    return std::isnan(p) ? T(Text::not_available) : localize_number(p_text(p), lang);
  };
  std::fprintf(out, (T(Text::compare_header) + "\n").c_str(), q.scenarios.size(),
               static_cast<long long>(q.replicates), static_cast<unsigned long long>(q.master_seed),
               static_cast<long long>(q.horizon));
  std::fprintf(out, (T(Text::compare_baseline) + "\n").c_str(), q.scenarios[0].name.c_str());
  const bool fr = lang == Lang::fr;
  if (q.with_param_sets())
    std::fprintf(
        out,
        fr ? "jeux de paramètres : %zu de %s, %lld répétitions par jeu (graines de la répétition "
             "k × %lld + r) ; l'unité statistique est le jeu : moyenne des moyennes par jeu, IC de "
             "Student à %zu %s de liberté, qui porte l'incertitude des paramètres et le bruit "
             "des répétitions ; « 95 %% des jeux » : 2,5 à 97,5 %% des écarts moyens par jeu\n"
           : "parameter sets: %zu from %s, %lld replicates per set (seeds of replicate k x %lld + "
             "r); the statistical unit is the set: mean of the per-set means, t interval with %zu "
             "%s "
             "of freedom, carrying parameter uncertainty and replicate noise; \"95%% of "
             "sets\": 2.5-97.5%% of the per-set mean differences\n",
        q.sets(), q.param_sets.path.c_str(), static_cast<long long>(q.replicates),
        static_cast<long long>(q.replicates), q.sets() - 1,
        fr ? (q.sets() - 1 > 1 ? "degrés" : "degré") : (q.sets() - 1 > 1 ? "degrees" : "degree"));
  const std::string band_col = fr ? "95 % des jeux" : "95% of sets";
  int w = 8;
  for (const auto& s : q.scenarios) w = std::max(w, static_cast<int>(s.name.size()));
  const auto R = q.units();  // what n counts: replicates, or parameter sets
  for (std::size_t m = 0; m < q.metrics.size(); ++m) {
    const Metric& info = metric(q.metrics[m]);
    // Replicates without a value (an undefined metric) are left out; the table then says how
    // many were used, in two more columns and a note.
    bool missing = false;
    for (const CompareRow& r : rep.rows)
      if (r.metric == m) missing = missing || r.summary.n < R || (r.diff && r.diff->n < R);
    std::fprintf(out, "\n%s (%s)%s %s\n", q.metrics[m].c_str(), unit_word(info.unit, lang).c_str(),
                 lang == Lang::fr ? " :" : ":", std::string(metric_meaning(info, lang)).c_str());
    std::fprintf(out, "  %s %s %s %s %s %s %s", pad(T(Text::col_scenario), w, true).c_str(),
                 pad(T(Text::col_mean), 10, false).c_str(), pad(T(Text::col_ci), 22, true).c_str(),
                 pad(T(Text::col_diff), 10, false).c_str(),
                 pad(T(Text::col_ci_diff), 22, true).c_str(), pad("d_z", 6, false).c_str(),
                 pad("p", 7, false).c_str());
    if (q.with_param_sets())
      std::fprintf(out, " %s", missing ? pad(band_col, 22, true).c_str() : band_col.c_str());
    if (missing)
      std::fprintf(out, " %s %s", pad(T(Text::col_n), 7, false).c_str(),
                   pad(T(Text::col_n_diff), 7, false).c_str());
    std::fprintf(out, "\n");
    for (const CompareRow& r : rep.rows) {
      if (r.metric != m) continue;
      std::fprintf(out, "  %s %s %s", pad(q.scenarios[r.scenario].name, w, true).c_str(),
                   pad(num(r.summary.mean), 10, false).c_str(),
                   pad(ci(r.summary.ci_low, r.summary.ci_high), 22, true).c_str());
      if (r.diff)
        std::fprintf(out, " %s %s %s %s", pad(num(r.diff->mean_diff, true), 10, false).c_str(),
                     pad(ci(r.diff->ci_low, r.diff->ci_high, true), 22, true).c_str(),
                     pad(std::isnan(r.diff->effect_size)
                             ? T(Text::not_available)
                             : localize_number(effect_text(r.diff->effect_size), lang),
                         6, false)
                         .c_str(),
                     pad(pv(r.diff->p_two_sided), 7, false).c_str());
      else
        std::fprintf(out, " %s", pad(T(Text::baseline_word), 10, false).c_str());
      if (r.spread)
        std::fprintf(out, " %s", ci(r.spread->band_low, r.spread->band_high, true).c_str());
      if (missing) {
        const std::string n = std::to_string(r.summary.n) + "/" + std::to_string(R);
        // The baseline's row stops after "(baseline)": line its n up with the others.
        if (!r.diff)
          std::fprintf(
              out, "%s",
              std::string(1 + 22 + 1 + 6 + 1 + 7 + (q.with_param_sets() ? 23 : 0), ' ').c_str());
        else if (r.spread) {
          const int used =
              static_cast<int>(ci(r.spread->band_low, r.spread->band_high, true).size());
          if (used < 22) std::fprintf(out, "%s", std::string(22 - used, ' ').c_str());
        }
        std::fprintf(out, " %s", pad(n, 7, false).c_str());
        if (r.diff) std::fprintf(out, " %s", pad(std::to_string(r.diff->n), 7, false).c_str());
      }
      std::fprintf(out, "\n");
    }
    if (missing)
      std::fprintf(out, (T(Text::missing_note) + "\n").c_str(), static_cast<long long>(R));
  }
  for (const HypothesisResult& h : rep.hypotheses) {
    const Hypothesis& x = h.hypothesis;
    char alpha[16];
    std::snprintf(alpha, sizeof alpha, "%.2f", kAlpha);
    const std::string metric_name =
        lang == Lang::fr ? std::string(metric_label(metric(x.metric), lang)) : x.metric;
    std::fprintf(out, T(Text::hypothesis_line).c_str(), x.text.c_str(),
                 T(h.supported ? Text::supported : Text::not_supported).c_str(),
                 q.scenarios[x.a].name.c_str(), q.scenarios[x.b].name.c_str(),
                 num(h.test.mean_diff, true).c_str(),
                 ci(h.test.ci_low, h.test.ci_high, true).c_str(), metric_name.c_str(),
                 pv(h.p_value).c_str(), localize_number(alpha, lang).c_str());
    if (h.test.n < R)
      std::fprintf(out, T(Text::hypothesis_n).c_str(), h.test.n, static_cast<long long>(R));
    if (q.with_param_sets()) {
      const auto pct = [&](double v) {
        return std::isnan(v) ? T(Text::not_available)
                             : localize_number(percent(v), lang) + (fr ? " %" : "%");
      };
      std::fprintf(
          out,
          fr ? "  (test sur les %zu moyennes par jeu de paramètres) ; appuyée dans %s des "
               "jeux par leur propre test sur %lld répétitions, écart dans le sens annoncé "
               "dans %s des jeux\n"
             : "  (test over the %zu per-set means); supported in %s of the parameter "
               "sets by their own test over %lld replicates, difference in the stated "
               "direction in %s of the sets\n",
          h.test.n, pct(h.share_sets_supported).c_str(), static_cast<long long>(q.replicates),
          pct(h.share_sets_direction).c_str());
    }
  }
}

void write_comparison_csv(const fs::path& path, const CompareRequest& q, const CompareReport& rep) {
  io::write_text_file(path, [&](std::ostream& out) {
    out << "scenario,metric,unit,n,mean,sd,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,"
           "effect_size_dz,p_value,n_diff";
    // --param-sets: n and n_diff count sets; the spread of the per-set differences.
    if (q.with_param_sets())
      out << ",sets_diff_p2_5,sets_diff_p97_5,sd_within_set,sd_between_sets,share_sets_positive";
    out << '\n';
    for (const CompareRow& r : rep.rows) {
      const std::string& metric = q.metrics[r.metric];
      out << io::csv_field(q.scenarios[r.scenario].name) << ',' << metric << ','
          << io::csv_field(std::string(cdpsim::metric(metric).unit)) << ',' << r.summary.n << ','
          << exact(r.summary.mean) << ',' << exact(r.summary.sd) << ',' << exact(r.summary.ci_low)
          << ',' << exact(r.summary.ci_high);
      if (r.diff)
        out << ',' << exact(r.diff->mean_diff) << ',' << exact(r.diff->ci_low) << ','
            << exact(r.diff->ci_high) << ',' << exact(r.diff->effect_size) << ','
            << exact(r.diff->p_two_sided) << ',' << r.diff->n;
      else
        out << ",,,,,,";
      if (q.with_param_sets()) {
        if (r.spread)
          out << ',' << exact(r.spread->band_low) << ',' << exact(r.spread->band_high) << ','
              << exact(r.spread->sd_within) << ',' << exact(r.spread->sd_between) << ','
              << exact(r.spread->share_positive);
        else
          out << ",,,,,";
      }
      out << '\n';
    }
  });
}

void write_comparison_json(const fs::path& path, const CompareRequest& q, const CompareData& d,
                           const CompareReport& rep) {
  io::write_text_file(path, [&](std::ostream& out) {
    out << "{\n  \"output_kind\": \"comparison\",\n  \"cdpsim_version\": "
        << io::json_string(version) << ",\n  \"baseline\": " << io::json_string(q.scenarios[0].name)
        << ",\n  \"scenarios\": [";
    for (std::size_t s = 0; s < q.scenarios.size(); ++s)
      out << (s ? "," : "") << "\n    {\"name\": " << io::json_string(q.scenarios[s].name)
          << ", \"path\": " << io::json_string(q.scenarios[s].path)
          << ", \"simulation_name\": " << io::json_string(q.scenarios[s].scenario.simulation.name)
          << "}";
    out << "\n  ],\n  \"replicates\": " << q.replicates << ",\n  \"master_seed\": " << q.master_seed
        << ",\n  \"seeds\": [";
    for (std::size_t r = 0; r < d.seeds.size(); ++r) out << (r ? ", " : "") << d.seeds[r];
    out << "],\n  \"horizon_weeks\": " << q.horizon;
    if (q.with_param_sets()) {
      const ParamSets& p = q.param_sets;
      out << ",\n  \"param_sets\": {\"path\": " << io::json_string(p.path)
          << ", \"count\": " << p.size() << ", \"replicates_per_set\": " << q.replicates
          << ",\n    \"seeds\": \"replicate r of set k uses seeds[k * replicates_per_set + r] "
             "in every scenario\",\n    \"unit\": \"the set: statistics over the per-set means, "
             "t intervals with count - 1 degrees of freedom\",\n    \"keys\": [";
      for (std::size_t j = 0; j < p.keys.size(); ++j)
        out << (j ? ", " : "") << io::json_string(p.keys[j]);
      out << "],\n    \"lines\": [";
      for (std::size_t k = 0; k < p.size(); ++k) out << (k ? ", " : "") << p.lines[k];
      out << "],\n    \"values\": [";
      for (std::size_t k = 0; k < p.size(); ++k) {
        out << (k ? ", " : "") << "[";
        for (std::size_t j = 0; j < p.keys.size(); ++j)
          out << (j ? ", " : "") << json_number(p.values[k][j]);
        out << "]";
      }
      out << "]}";
    }
    if (!q.from.empty())
      out << ",\n  \"branch_of\": " << io::json_string(q.from)
          << ",\n  \"branch_week\": " << q.branch_week
          << ",\n  \"seed_policy\": " << io::json_string(std::string(seed_policy_name(q.policy)));
    out << ",\n  \"confidence_level\": " << json_number(kConfidence)
        << ",\n  \"alpha\": " << json_number(kAlpha) << ",\n  \"metrics\": [";
    for (std::size_t m = 0; m < q.metrics.size(); ++m) {
      const Metric& info = metric(q.metrics[m]);
      out << (m ? "," : "") << "\n    {\"name\": " << io::json_string(q.metrics[m])
          << ", \"unit\": " << io::json_string(std::string(info.unit))
          << ", \"meaning\": " << io::json_string(std::string(info.meaning)) << "}";
    }
    out << "\n  ],\n  \"results\": [";
    for (std::size_t i = 0; i < rep.rows.size(); ++i) {
      const CompareRow& r = rep.rows[i];
      const stats::Summary& s = r.summary;
      out << (i ? "," : "")
          << "\n    {\"scenario\": " << io::json_string(q.scenarios[r.scenario].name)
          << ", \"metric\": " << io::json_string(q.metrics[r.metric]) << ", \"n\": " << s.n
          << ", \"mean\": " << json_number(s.mean) << ", \"sd\": " << json_number(s.sd)
          << ", \"ci\": [" << json_number(s.ci_low) << ", " << json_number(s.ci_high) << "]";
      const double nan = kNaN;
      const stats::PairedTest* p = r.diff ? &*r.diff : nullptr;
      out << ", \"diff\": " << json_number(p ? p->mean_diff : nan) << ", \"diff_ci\": ["
          << json_number(p ? p->ci_low : nan) << ", " << json_number(p ? p->ci_high : nan)
          << "], \"effect_size_dz\": " << json_number(p ? p->effect_size : nan)
          << ", \"p_value\": " << json_number(p ? p->p_two_sided : nan)
          << ", \"n_diff\": " << (p ? std::to_string(p->n) : std::string("null"));
      if (r.spread)
        out << ", \"sets_diff_band\": [" << json_number(r.spread->band_low) << ", "
            << json_number(r.spread->band_high)
            << "], \"sd_within_set\": " << json_number(r.spread->sd_within)
            << ", \"sd_between_sets\": " << json_number(r.spread->sd_between)
            << ", \"share_sets_positive\": " << json_number(r.spread->share_positive);
      out << "}";
    }
    out << "\n  ],\n  \"hypotheses\": [";
    for (std::size_t i = 0; i < rep.hypotheses.size(); ++i) {
      const HypothesisResult& h = rep.hypotheses[i];
      const Hypothesis& x = h.hypothesis;
      out << (i ? "," : "") << "\n    {\"text\": " << io::json_string(x.text)
          << ", \"a\": " << io::json_string(q.scenarios[x.a].name)
          << ", \"b\": " << io::json_string(q.scenarios[x.b].name)
          << ", \"direction\": " << io::json_string(x.greater ? ">" : "<")
          << ", \"metric\": " << io::json_string(x.metric)
          << ", \"mean_difference\": " << json_number(h.test.mean_diff) << ", \"ci\": ["
          << json_number(h.test.ci_low) << ", " << json_number(h.test.ci_high)
          << "], \"t\": " << json_number(h.test.t) << ", \"df\": " << json_number(h.test.df)
          << ", \"n\": " << h.test.n << ", \"p_value_one_sided\": " << json_number(h.p_value)
          << ", \"supported\": " << (h.supported ? "true" : "false");
      if (q.with_param_sets())
        out << ", \"share_sets_supported\": " << json_number(h.share_sets_supported)
            << ", \"share_sets_direction\": " << json_number(h.share_sets_direction);
      out << "}";
    }
    out << "\n  ]\n}\n";
  });
}

void write_comparison_h5(const fs::path& path, const CompareRequest& q, const CompareData& d,
                         const CompareReport& rep) {
  const std::size_t S = q.scenarios.size(), R = static_cast<std::size_t>(q.replicates),
                    M = q.metrics.size();
  io::NcWriter f(path);
  std::vector<std::string> names, paths, tomls, units;
  for (const CompareScenario& c : q.scenarios) {
    names.push_back(c.name);
    paths.push_back(c.path);
    tomls.push_back(resolved_toml(c.scenario));
  }
  for (const std::string& m : q.metrics) units.emplace_back(metric(m).unit);
  std::vector<std::int32_t> reps(R);
  for (std::size_t r = 0; r < R; ++r) reps[r] = static_cast<std::int32_t>(r);
  f.add_coordinate("scenario", names, {{"long_name", std::string("scenario (file stem)")}});
  f.add_coordinate("replicate", std::span<const std::int32_t>(reps),
                   {{"long_name", std::string("replicate (same seed in every scenario)")}});
  f.add_coordinate("metric", q.metrics, {{"long_name", std::string("outcome metric")}});
  f.write_strings("scenario_path", "scenario", paths, {{"long_name", std::string("file")}});
  f.write_strings("scenario_toml", "scenario", tomls,
                  {{"long_name", std::string("resolved scenario")}});
  f.write_strings("metric_units", "metric", units, {{"long_name", std::string("unit")}});
  write_metric_table(f, q.metrics);
  std::vector<std::int64_t> seeds(d.seeds.begin(), d.seeds.end());
  if (q.with_param_sets()) {
    const ParamSets& p = q.param_sets;
    std::vector<std::int32_t> lines;
    for (std::int64_t l : p.lines) lines.push_back(static_cast<std::int32_t>(l));
    f.add_coordinate("param_set", std::span<const std::int32_t>(lines),
                     {{"long_name", std::string("parameter set (its line in " + p.path + ")")}});
    f.add_coordinate("param_key", p.keys, {{"long_name", std::string("parameter key")}});
    std::vector<double> pv;
    for (const auto& row : p.values) pv.insert(pv.end(), row.begin(), row.end());
    f.write<double>("param_value", {"param_set", "param_key"}, pv,
                    {{"long_name", std::string("value of each parameter in each set")}});
    f.write<std::int64_t>(
        "replicate_seed", {"param_set", "replicate"}, seeds,
        {{"long_name", std::string("seed of the replicate of the set in every scenario")}});
    f.write<double>("value", {"param_set", "scenario", "replicate", "metric"}, d.values,
                    {{"long_name", std::string("metric value of each run at the horizon")}});
  } else {
    f.write<std::int64_t>("replicate_seed", {"replicate"}, seeds,
                          {{"long_name", std::string("seed of the replicate in every scenario")}});
    f.write<double>("value", {"scenario", "replicate", "metric"}, d.values,
                    {{"long_name", std::string("metric value of each run at the horizon")}});
  }

  auto table = [&](const char* name, const char* long_name, auto get) {
    std::vector<double> v(S * M, kNaN);
    for (const CompareRow& r : rep.rows) v[r.scenario * M + r.metric] = get(r);
    f.write<double>(name, {"scenario", "metric"}, v, {{"long_name", std::string(long_name)}});
  };
  auto diff = [](const CompareRow& r, double stats::PairedTest::*field) {
    return r.diff ? (*r.diff).*field : kNaN;
  };
  table("mean", "mean over replicates", [](const CompareRow& r) { return r.summary.mean; });
  table("sd", "standard deviation over replicates",
        [](const CompareRow& r) { return r.summary.sd; });
  table("ci_low", "95% t interval of the mean: low",
        [](const CompareRow& r) { return r.summary.ci_low; });
  table("ci_high", "95% t interval of the mean: high",
        [](const CompareRow& r) { return r.summary.ci_high; });
  table("diff", "mean paired difference from the baseline (NaN for the baseline)",
        [&](const CompareRow& r) { return diff(r, &stats::PairedTest::mean_diff); });
  table("diff_ci_low", "95% t interval of the difference: low",
        [&](const CompareRow& r) { return diff(r, &stats::PairedTest::ci_low); });
  table("diff_ci_high", "95% t interval of the difference: high",
        [&](const CompareRow& r) { return diff(r, &stats::PairedTest::ci_high); });
  table("effect_size", "Cohen's d_z: mean difference / sd of the differences",
        [&](const CompareRow& r) { return diff(r, &stats::PairedTest::effect_size); });
  table("p_value", "two-sided paired t-test p-value against the baseline",
        [&](const CompareRow& r) { return diff(r, &stats::PairedTest::p_two_sided); });
  if (q.with_param_sets()) {
    auto spread = [](const CompareRow& r, double SetSpread::*field) {
      return r.spread ? (*r.spread).*field : kNaN;
    };
    table("sets_diff_p2_5", "2.5% of the per-set mean differences",
          [&](const CompareRow& r) { return spread(r, &SetSpread::band_low); });
    table("sets_diff_p97_5", "97.5% of the per-set mean differences",
          [&](const CompareRow& r) { return spread(r, &SetSpread::band_high); });
    table("sd_within_set", "sd of the differences within a set (replicate noise, pooled)",
          [&](const CompareRow& r) { return spread(r, &SetSpread::sd_within); });
    table("sd_between_sets", "sd of the differences due to the parameters (moment estimate)",
          [&](const CompareRow& r) { return spread(r, &SetSpread::sd_between); });
    table("share_sets_positive", "share of the sets whose mean difference is > 0",
          [&](const CompareRow& r) { return spread(r, &SetSpread::share_positive); });
  }
  // How many replicates the statistics used (a metric undefined in a run has no value there).
  std::vector<std::int32_t> n(S * M, 0), n_diff(S * M, -1);
  for (const CompareRow& r : rep.rows) {
    n[r.scenario * M + r.metric] = static_cast<std::int32_t>(r.summary.n);
    if (r.diff) n_diff[r.scenario * M + r.metric] = static_cast<std::int32_t>(r.diff->n);
  }
  f.write<std::int32_t>("n", {"scenario", "metric"}, n,
                        {{"long_name", std::string("replicates with a value (NaN values are left "
                                                   "out of every statistic)")}});
  f.write<std::int32_t>(
      "n_diff", {"scenario", "metric"}, n_diff,
      {{"long_name", std::string("replicates where the scenario and the baseline both have a "
                                 "value (the paired difference's n; -1 for the baseline)")}});

  if (!rep.hypotheses.empty()) {
    std::vector<std::string> texts;
    std::vector<double> mean, p;
    std::vector<std::int8_t> supported;
    for (const HypothesisResult& h : rep.hypotheses) {
      texts.push_back(h.hypothesis.text);
      mean.push_back(h.test.mean_diff);
      p.push_back(h.p_value);
      supported.push_back(h.supported ? 1 : 0);
    }
    f.add_coordinate("hypothesis", texts, {{"long_name", std::string("stated hypothesis")}});
    f.write<double>("hypothesis_mean_difference", {"hypothesis"}, mean,
                    {{"long_name", std::string("mean paired difference A - B")}});
    f.write<double>("hypothesis_p_value", {"hypothesis"}, p,
                    {{"long_name", std::string("one-sided paired t-test p-value")}});
    f.write<std::int8_t>("hypothesis_supported", {"hypothesis"}, supported,
                         {{"long_name", std::string("1 when p < alpha in the stated direction")}});
    if (q.with_param_sets()) {
      std::vector<double> sup, dir;
      for (const HypothesisResult& h : rep.hypotheses) {
        sup.push_back(h.share_sets_supported);
        dir.push_back(h.share_sets_direction);
      }
      f.write<double>("hypothesis_share_sets_supported", {"hypothesis"}, sup,
                      {{"long_name", std::string("share of the parameter sets whose own test "
                                                 "supports the hypothesis")}});
      f.write<double>("hypothesis_share_sets_direction", {"hypothesis"}, dir,
                      {{"long_name", std::string("share of the parameter sets whose mean "
                                                 "difference has the stated sign")}});
    }
  }

  std::string all;
  for (const std::string& n : names) all += (all.empty() ? "" : ", ") + n;
  f.set_attribute({"title", "cdpsim comparison against " + names[0]});
  f.set_attribute({"Conventions", std::string("CF-1.8")});
  f.set_attribute({"cdpsim_version", std::string(version)});
  f.set_attribute({"output_kind", std::string("comparison")});
  f.set_attribute({"baseline", names[0]});
  f.set_attribute({"scenarios", all});
  f.set_attribute({"replicates", q.replicates});
  f.set_attribute({"master_seed", static_cast<std::int64_t>(q.master_seed)});
  f.set_attribute({"horizon_weeks", q.horizon});
  if (!q.from.empty()) {  // every scenario a branch of one checkpoint (docs/checkpoints.md)
    f.set_attribute({"branch_of", q.from});
    f.set_attribute({"branch_week", q.branch_week});
    f.set_attribute({"seed_policy", std::string(seed_policy_name(q.policy))});
  }
  f.set_attribute({"confidence_level", kConfidence});
  f.set_attribute({"alpha", kAlpha});
  if (q.with_param_sets()) {
    f.set_attribute({"param_sets", q.param_sets.path});
    f.set_attribute({"param_set_count", static_cast<std::int64_t>(q.sets())});
    f.set_attribute(
        {"statistical_unit", std::string("parameter set: statistics over the per-set means")});
    f.set_attribute({"common_random_numbers",
                     std::string("replicate r of set k uses seed replicate_seed[k, r] in every "
                                 "scenario; seeds differ between sets")});
  } else {
    f.set_attribute({"common_random_numbers",
                     std::string("replicate r of every scenario uses seed replicate_seed[r]")});
  }
  f.close();
}

}  // namespace cdpsim
