#include "experiments/ensemble/ensemble_file.hpp"

#include <algorithm>
#include <cdpsim/version.hpp>
#include <cmath>
#include <limits>
#include <type_traits>
#include <unordered_map>

#include "experiments/durable.hpp"
#include "experiments/metrics/attributes.hpp"
#include "experiments/metrics/metrics.hpp"
#include "sim/io/nc_reader.hpp"
#include "sim/io/nc_writer.hpp"

namespace cdpsim {

namespace fs = std::filesystem;

namespace {

using io::Attr;

constexpr std::int64_t kMissingInt = -1;
constexpr double kMissingReal = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kSeedRule =
    "run = point * replicates + replicate; seed(run) = replicate_seed[replicate] = "
    "SplitMix64(SplitMix64(master_seed) xor replicate) >> 12: the same seeds at every design "
    "point (common random numbers)";

std::vector<Attr> meta(std::string units, std::string long_name) {
  return {{"units", std::move(units)}, {"long_name", std::move(long_name)}};
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  for (std::size_t b = 0;;) {
    const std::size_t e = s.find('\n', b);
    out.push_back(s.substr(b, e - b));
    if (e == std::string::npos) break;
    b = e + 1;
  }
  return out;
}

// `s` as one shell word: unchanged when it has only safe characters, else single-quoted.
std::string shell_word(const std::string& s) {
  const bool safe = !s.empty() && s.find_first_not_of(
                                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
                                      "qrstuvwxyz0123456789._=,:/+-@%") == std::string::npos;
  if (safe) return s;
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string shell_words(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& w : v) {
    if (!s.empty()) s += ' ';
    s += shell_word(w);
  }
  return s;
}

std::vector<std::int32_t> iota32(std::size_t n) {
  std::vector<std::int32_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(i);
  return v;
}

}  // namespace

std::vector<std::int64_t> EnsembleFileHeader::complete_runs() const {
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (complete[i]) out.push_back(runs[i]);
  return out;
}

namespace {

// The writer's steps, in file order. `runs` are the global indices the file holds.
struct FileWriter {
  io::NcWriter& f;
  const EnsemblePlan& plan;
  const RunStore& store;
  std::span<const std::int64_t> runs;
  const RunLayout layout = RunLayout::of(plan);
  // The runs finished when the writing started: a consistent file while other runs finish.
  const std::vector<const RunRecord*> records = [this] {
    std::vector<const RunRecord*> v;
    for (std::int64_t r : runs) v.push_back(store.get(r));
    return v;
  }();

  void axes() {
    std::vector<std::int32_t> run_ids(runs.size());
    for (std::size_t i = 0; i < runs.size(); ++i) run_ids[i] = static_cast<std::int32_t>(runs[i]);
    f.add_coordinate("run", std::span<const std::int32_t>(run_ids),
                     meta("1", "run index = point * replicates + replicate"));
    const std::vector<std::int32_t> points = iota32(static_cast<std::size_t>(plan.points()));
    const std::vector<std::int32_t> reps = iota32(static_cast<std::size_t>(plan.replicates()));
    const std::vector<std::int32_t> weeks = iota32(layout.weeks);
    f.add_coordinate("point", std::span<const std::int32_t>(points), meta("1", "design point"));
    f.add_coordinate("replicate", std::span<const std::int32_t>(reps),
                     meta("1", "replicate (same seed at every point)"));
    f.add_coordinate("week", std::span<const std::int32_t>(weeks),
                     meta("week", "weeks since the scenario's start date"));
    add_model_axes(f);
    std::vector<std::string> territories, platforms, metric_names;
    for (const auto& t : plan.base.territories) territories.push_back(t.name);
    for (const auto& p : plan.base.platforms) platforms.push_back(p.name);
    for (const Metric* m : ecosystem_metrics()) metric_names.emplace_back(m->name);
    f.add_coordinate("territory", territories, {{"long_name", std::string("territory")}});
    f.add_coordinate("platform", platforms, {{"long_name", std::string("digital platform")}});
    f.add_coordinate("sweep_key", plan.keys, {{"long_name", std::string("swept scenario key")}});
    f.add_coordinate("metric", metric_names, {{"long_name", std::string("outcome metric")}});
    std::vector<std::int32_t> days(layout.weeks);
    for (std::size_t t = 0; t < layout.weeks; ++t) days[t] = static_cast<std::int32_t>(7 * t);
    f.write<std::int32_t>("date", {"week"}, days,
                          {{"units", "days since " + plan.base.simulation.start_date.to_string()},
                           {"calendar", std::string("proleptic_gregorian")},
                           {"long_name", std::string("calendar date of the week's Monday")}});
  }

  void design() {
    const auto P = static_cast<std::size_t>(plan.points());
    const std::size_t K = plan.keys.size();
    std::vector<double> values(P * K);
    std::vector<std::string> sets(P);
    for (std::size_t p = 0; p < P; ++p) {
      for (std::size_t k = 0; k < K; ++k) values[p * K + k] = plan.design[p][k];
      sets[p] = shell_words(plan.point_sets(static_cast<std::int64_t>(p)));
    }
    f.write<double>("design", {"point", "sweep_key"}, values,
                    meta("1",
                         "value of each swept key at each point (NaN: not a number; "
                         "false/true: 0/1)"));
    f.write_strings("point_set", "point", sets,
                    {{"long_name", std::string("the point's --set overrides")}});
    std::vector<std::int64_t> seeds(plan.seeds.begin(), plan.seeds.end());
    f.write<std::int64_t>("replicate_seed", {"replicate"}, seeds,
                          meta("1", "seed of the replicate at every point"));
  }

  void run_table() {
    const std::size_t N = runs.size();
    std::vector<std::int32_t> point(N), replicate(N);
    std::vector<std::int64_t> seed(N);
    std::vector<std::string> sets(N);
    std::vector<std::int8_t> complete(N);
    std::vector<std::int64_t> checksum(N, 0);
    for (std::size_t i = 0; i < N; ++i) {
      point[i] = static_cast<std::int32_t>(plan.point_of(runs[i]));
      replicate[i] = static_cast<std::int32_t>(plan.replicate_of(runs[i]));
      seed[i] = static_cast<std::int64_t>(plan.seed_of(runs[i]));
      sets[i] = shell_words(plan.run_sets(runs[i]));
      const RunRecord* rec = records[i];
      complete[i] = rec ? 1 : 0;
      checksum[i] = rec ? rec->checksum : 0;
    }
    f.write<std::int32_t>("run_point", {"run"}, point, meta("1", "design point of the run"));
    f.write<std::int32_t>("run_replicate", {"run"}, replicate, meta("1", "replicate of the run"));
    f.write<std::int64_t>("run_seed", {"run"}, seed, meta("1", "seed of the run (--seed)"));
    f.write_strings("run_set", "run", sets,
                    {{"long_name", std::string("the run's --set overrides: cdpsim run SCENARIO "
                                               "--seed run_seed --set each of these")}});
    f.write<std::int8_t>("run_complete", {"run"}, complete,
                         {{"long_name", std::string("1: the run finished; 0: missing (values "
                                                    "filled with -1 or NaN)")},
                          {"flag_values", std::string("0 1")},
                          {"flag_meanings", std::string("missing finished")}});
    f.write<std::int64_t>(
        "run_checksum", {"run"}, checksum,
        {{"long_name", std::string("FNV-1a 64 of the run's index, seed, weekly series and metrics "
                                   "(little-endian bytes, file order), as a signed integer; 0 "
                                   "when missing: --resume and merge recompute it")}});
  }

  // Rows of `member` (ints or reals) of every run at [offset, offset + row), fill when missing.
  template <class T>
  std::vector<T> rows(std::vector<T> RunRecord::*member, std::size_t offset, std::size_t row,
                      T missing) const {
    std::vector<T> out(runs.size() * row, missing);
    for (std::size_t i = 0; i < runs.size(); ++i)
      if (const RunRecord* rec = records[i])
        std::copy_n((rec->*member).begin() + static_cast<std::ptrdiff_t>(offset), row,
                    out.begin() + static_cast<std::ptrdiff_t>(i * row));
    return out;
  }

  void series() {
    const auto& defs = weekly_series();
    for (std::size_t k = 0; k < defs.size(); ++k) {
      const SeriesDef& d = defs[k];
      std::vector<std::string> dims{"run", "week"};
      if (d.axis != SeriesAxis::none) dims.emplace_back(axis_dimension(d.axis));
      const std::size_t row = layout.weeks * layout.width[k];
      if (d.integer)
        f.write<std::int64_t>(std::string(d.name), dims,
                              rows(&RunRecord::ints, layout.offset[k], row, kMissingInt),
                              series_attributes(d));
      else
        f.write<double>(std::string(d.name), dims,
                        rows(&RunRecord::reals, layout.offset[k], row, kMissingReal),
                        series_attributes(d));
    }
  }

  void metrics() {
    const std::size_t M = ecosystem_metrics().size();
    f.write<double>("metrics", {"run", "metric"}, rows(&RunRecord::metrics, 0, M, kMissingReal),
                    meta("see metric_units", "outcome metrics of the run at its last week"));
    std::vector<std::string> units, names;
    for (const Metric* m : ecosystem_metrics()) {
      units.emplace_back(m->unit);
      names.emplace_back(m->name);
    }
    f.write_strings("metric_units", "metric", units,
                    {{"long_name", std::string("unit of each metric")}});
    write_metric_table(f, names);
  }

  void attributes() {
    std::size_t completed = 0;
    for (const RunRecord* rec : records) completed += rec ? 1 : 0;
    const DesignRequest& q = plan.request;
    std::vector<std::string> sweeps;
    for (const Sweep& s : q.sweeps) sweeps.push_back(s.key + "=" + join(s.values, ","));
    const bool whole = runs.size() == static_cast<std::size_t>(plan.runs());
    f.set_attribute({"title", "cdpsim ensemble: " + plan.scenario_name});
    f.set_attribute({"Conventions", std::string("CF-1.8")});
    f.set_attribute({"cdpsim_version", std::string(version)});
    f.set_attribute({"output_kind", std::string(whole ? "ensemble" : "ensemble_shard")});
    f.set_attribute({"scenario_name", plan.scenario_name});
    f.set_attribute({"scenario_toml", plan.base_toml});
    f.set_attribute({"start_date", plan.base.simulation.start_date.to_string()});
    f.set_attribute({"design_kind", std::string(design_kind_name(q.kind))});
    f.set_attribute({"samples", q.samples});
    f.set_attribute({"sweeps", join(sweeps, "\n")});
    f.set_attribute({"base_overrides", join(q.base_sets, "\n")});
    f.set_attribute({"points", plan.points()});
    f.set_attribute({"replicates", q.replicates});
    f.set_attribute({"master_seed", static_cast<std::int64_t>(q.master_seed)});
    f.set_attribute({"seed_rule", std::string(kSeedRule)});
    f.set_attribute({"reproduce", std::string("cdpsim run SCENARIO --seed RUN_SEED --set ... "
                                              "(each word of run_set): the run alone, exactly")});
    f.set_attribute({"ensemble_id", plan.ensemble_id});
    if (!plan.from.empty()) {  // every run a branch of one checkpoint (docs/checkpoints.md)
      f.set_attribute({"branch_of", plan.from});
      f.set_attribute({"branch_week", plan.branch_week});
      f.set_attribute({"seed_policy", std::string("reseed")});
    }
    f.set_attribute({"status", std::string(completed == runs.size() ? "complete" : "interrupted")});
    f.set_attribute({"runs_completed", static_cast<std::int64_t>(completed)});
    f.set_attribute({"runs_in_file", static_cast<std::int64_t>(runs.size())});
    f.set_attribute({"runs_total", plan.runs()});
  }
};

}  // namespace

void write_ensemble_file(const fs::path& path, const EnsemblePlan& plan, const RunStore& store,
                         std::span<const std::int64_t> runs) {
  io::NcWriter f(path);
  FileWriter w{f, plan, store, runs};
  w.axes();
  w.design();
  w.run_table();
  w.series();
  w.metrics();
  w.attributes();
  f.close();
}

EnsembleFileHeader read_ensemble_header(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw EnsembleFileError(path.string() + ": no such file");
  try {
    const io::NcReader r(path);
    EnsembleFileHeader h;
    h.output_kind = r.has_attribute("output_kind") ? r.string_attribute("output_kind") : "";
    if (h.output_kind != "ensemble" && h.output_kind != "ensemble_shard")
      throw EnsembleFileError(path.string() + ": not an ensemble file (output_kind = '" +
                              h.output_kind + "'; allowed: ensemble, ensemble_shard)");
    h.ensemble_id = r.string_attribute("ensemble_id");
    h.status = r.string_attribute("status");
    h.base_toml = r.string_attribute("scenario_toml");
    h.scenario_name = r.string_attribute("scenario_name");
    h.runs_total = r.int_attribute("runs_total");
    DesignRequest& q = h.request;
    q.kind = r.string_attribute("design_kind") == "lhs" ? DesignKind::lhs : DesignKind::grid;
    q.samples = r.int_attribute("samples");
    q.replicates = r.int_attribute("replicates");
    q.master_seed = static_cast<std::uint64_t>(r.int_attribute("master_seed"));
    q.base_sets = split_lines(r.string_attribute("base_overrides"));
    for (const std::string& s : split_lines(r.string_attribute("sweeps")))
      q.sweeps.push_back(parse_sweep(s));
    h.runs = r.read<std::int64_t>("run");
    h.complete = r.read<std::int8_t>("run_complete");
    if (h.complete.size() != h.runs.size())
      throw EnsembleFileError(path.string() + ": run_complete does not match the run axis");
    return h;
  } catch (const EnsembleFileError&) {
    throw;
  } catch (const std::exception& e) {
    throw EnsembleFileError(path.string() + ": not a readable ensemble file (" + e.what() + ")");
  }
}

EnsemblePlan plan_of(const fs::path& path, const EnsembleFileHeader& h) {
  EnsemblePlan plan;
  try {
    plan = make_plan_from_toml(h.base_toml, path.string() + " (stored scenario)", h.request);
  } catch (const std::exception& e) {
    throw EnsembleFileError(path.string() + ": its stored ensemble cannot be rebuilt (" + e.what() +
                            ")");
  }
  if (plan.ensemble_id != h.ensemble_id)
    throw EnsembleFileError(path.string() + ": written by another version of cdpsim (ensemble_id " +
                            h.ensemble_id + " is " + plan.ensemble_id + " with cdpsim " + version +
                            ")");
  return plan;
}

namespace {

// Positions in the file of `runs` (each flagged finished in `h`), in the order of `runs`.
std::vector<std::size_t> rows_of(const fs::path& path, const EnsembleFileHeader& h,
                                 std::span<const std::int64_t> runs) {
  std::unordered_map<std::int64_t, std::size_t> row_of;
  for (std::size_t i = 0; i < h.runs.size(); ++i) row_of.emplace(h.runs[i], i);
  std::vector<std::size_t> rows;
  for (std::int64_t run : runs) {
    const auto it = row_of.find(run);
    if (it == row_of.end() || !h.complete[it->second])
      throw EnsembleFileError(path.string() + ": does not hold run " + std::to_string(run) +
                              " finished");
    rows.push_back(it->second);
  }
  return rows;
}

void check_run_indices(const fs::path& path, const EnsemblePlan& plan,
                       const EnsembleFileHeader& h) {
  for (std::int64_t run : h.runs)
    if (run < 0 || run >= plan.runs())
      throw EnsembleFileError(path.string() + ": holds run " + std::to_string(run) +
                              ", outside this ensemble's " + std::to_string(plan.runs()) + " runs");
}

// Reads every weekly series and the metrics of the file, shape-checked, passing each variable's
// values with its row length to `take(k, values, row)` (k: the series index, or defs.size() for
// the metrics).
template <class Take>
void read_run_values(const io::NcReader& r, const fs::path& path, const EnsemblePlan& plan,
                     std::size_t N, Take take) {
  const RunLayout L = RunLayout::of(plan);
  auto check_shape = [&](const std::string& name, std::vector<std::size_t> expected) {
    if (r.shape(name) != expected)
      throw EnsembleFileError(path.string() + ": variable '" + name +
                              "' does not have the shape of this ensemble's runs");
  };
  const auto& defs = weekly_series();
  for (std::size_t k = 0; k < defs.size(); ++k) {
    const std::string name(defs[k].name);
    std::vector<std::size_t> shape{N, L.weeks};
    if (defs[k].axis != SeriesAxis::none) shape.push_back(L.width[k]);
    check_shape(name, shape);
    const std::size_t row = L.weeks * L.width[k];
    if (defs[k].integer)
      take(k, r.read<std::int64_t>(name), row);
    else
      take(k, r.read<double>(name), row);
  }
  const std::size_t M = ecosystem_metrics().size();
  check_shape("metrics", {N, M});
  take(defs.size(), r.read<double>("metrics"), M);
}

std::vector<std::int64_t> stored_checksums(const io::NcReader& r, std::size_t N) {
  if (!r.has_variable("run_checksum")) return {};
  std::vector<std::int64_t> c = r.read<std::int64_t>("run_checksum");
  return c.size() == N ? c : std::vector<std::int64_t>{};
}

}  // namespace

RunVerdict verify_runs(const fs::path& path, const EnsemblePlan& plan,
                       const EnsembleFileHeader& h) {
  check_run_indices(path, plan, h);
  const std::size_t N = h.runs.size();
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < N; ++i)
    if (h.complete[i]) rows.push_back(i);
  std::vector<Fnv1a> state(rows.size());
  for (std::size_t j = 0; j < rows.size(); ++j) {
    state[j].integer(h.runs[rows[j]]);
    state[j].integer(static_cast<std::int64_t>(plan.seed_of(h.runs[rows[j]])));
  }
  std::vector<std::int64_t> stored;
  try {
    const io::NcReader r(path);
    read_run_values(r, path, plan, N, [&](std::size_t, const auto& all, std::size_t row) {
      using T = typename std::decay_t<decltype(all)>::value_type;
      for (std::size_t j = 0; j < rows.size(); ++j)
        state[j].values(std::span<const T>(all).subspan(rows[j] * row, row));
    });
    stored = stored_checksums(r, N);
  } catch (const EnsembleFileError&) {
    throw;
  } catch (const std::exception& e) {
    throw EnsembleFileError(path.string() + ": cannot read its runs (" + e.what() + ")");
  }
  RunVerdict v;
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const bool ok = !stored.empty() && stored[rows[j]] == state[j].stored();
    (ok ? v.trusted : v.rejected).push_back(h.runs[rows[j]]);
  }
  return v;
}

std::vector<std::int64_t> load_runs(const fs::path& path, const EnsemblePlan& plan,
                                    const EnsembleFileHeader& h, std::span<const std::int64_t> runs,
                                    RunStore& store) {
  check_run_indices(path, plan, h);
  const RunLayout L = RunLayout::of(plan);
  const std::size_t N = h.runs.size();
  const std::vector<std::size_t> rows = rows_of(path, h, runs);
  std::vector<RunRecord> records(rows.size());
  for (RunRecord& rec : records) {
    rec.ints.resize(L.ints);
    rec.reals.resize(L.reals);
  }
  std::vector<std::int64_t> stored;
  try {
    const io::NcReader r(path);
    const auto& defs = weekly_series();
    read_run_values(r, path, plan, N, [&](std::size_t k, const auto& all, std::size_t row) {
      for (std::size_t j = 0; j < rows.size(); ++j) {
        auto src = all.begin() + static_cast<std::ptrdiff_t>(rows[j] * row);
        if (k == defs.size()) {
          records[j].metrics.assign(src, src + static_cast<std::ptrdiff_t>(row));
        } else if constexpr (std::is_same_v<typename std::decay_t<decltype(all)>::value_type,
                                            std::int64_t>) {
          std::copy(src, src + static_cast<std::ptrdiff_t>(row),
                    records[j].ints.begin() + static_cast<std::ptrdiff_t>(L.offset[k]));
        } else {
          std::copy(src, src + static_cast<std::ptrdiff_t>(row),
                    records[j].reals.begin() + static_cast<std::ptrdiff_t>(L.offset[k]));
        }
      }
    });
    stored = stored_checksums(r, N);
  } catch (const EnsembleFileError&) {
    throw;
  } catch (const std::exception& e) {
    throw EnsembleFileError(path.string() + ": cannot read its runs (" + e.what() + ")");
  }
  std::vector<std::int64_t> loaded;
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::int64_t run = h.runs[rows[j]];
    if (run < store.begin() || run >= store.end())
      throw EnsembleFileError(path.string() + ": holds run " + std::to_string(run) +
                              ", outside the runs " + std::to_string(store.begin()) + ":" +
                              std::to_string(store.end()) + " asked for");
    records[j].checksum = run_checksum(plan, L, run, records[j]);
    if (stored.empty() || stored[rows[j]] != records[j].checksum)
      throw EnsembleFileError(path.string() + ": run " + std::to_string(run) +
                              " is marked finished but its stored values do not match its "
                              "checksum (the file was edited or damaged): run it again (--runs " +
                              std::to_string(run) + ":" + std::to_string(run + 1) + ")");
    store.put(run, std::move(records[j]));
    loaded.push_back(run);
  }
  return loaded;
}

std::vector<std::int64_t> load_complete_runs(const fs::path& path, const EnsemblePlan& plan,
                                             const EnsembleFileHeader& h, RunStore& store) {
  return load_runs(path, plan, h, h.complete_runs(), store);
}

}  // namespace cdpsim
