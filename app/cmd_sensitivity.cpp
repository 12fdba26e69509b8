// cdpsim sensitivity: Morris screening or Sobol indices of the levers (and of intervention
// parameters, --input) on a scenario's outcomes, with the dummy lever as noise floor, replicates
// under common random numbers and strata (docs/sensitivity.md). Interrupted analyses are kept in
// their file and finished by --resume.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>

#include "app/command.hpp"
#include "experiments/durable.hpp"
#include "experiments/ensemble/shards.hpp"
#include "experiments/scenario_io.hpp"
#include "experiments/sensitivity/sensitivity.hpp"
#include "experiments/sensitivity/sensitivity_output.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/output_path.hpp"
#include "sim/parallel/process_group.hpp"

namespace cdpsim::app {

namespace {

namespace fs = std::filesystem;

struct SensitivityArgs {
  std::string scenario;
  std::string method;
  std::vector<std::string> levers;
  std::vector<std::string> inputs;
  std::int64_t samples = -1;  // -1: 256 (Sobol) or 20 (Morris)
  std::int64_t replicates = 3;
  std::vector<std::string> metrics;
  std::vector<std::string> stratify;
  std::int64_t phase_week = -1;
  int levels = 4;
  int bootstrap = 200;
  std::int64_t seed = -1;  // -1: the scenario's simulation.seed
  std::vector<std::string> sets;
  std::string output;
  int threads = 0;
  bool resume = false;
  bool force = false;
  bool quiet = false;
  std::string lang;
};

// What the arguments ask for: the plan, its files, and with --resume the runs already done.
struct Prepared {
  SensitivityPlan plan;
  SensitivityData resumed;
  bool resuming = false;
  std::int64_t complete_runs = -1;   // >= 0: --resume of an analysis already complete
  bool restarted = false;            // --resume found only the temporary file of a first save
  std::vector<fs::path> rank_files;  // left by a killed MPI job; their runs are in `resumed`
  std::int64_t trusted = 0;          // finished runs verified and kept
  std::vector<std::int64_t> redone;  // flagged finished, failed their checksum
  fs::path h5, csv;
  Scenario base;  // for the warning about shocks after the horizon
  SavePolicy saving;
};

// Resume: the verified runs of the output and of the rank files a killed MPI job left.
void read_resumed(Prepared& p) {
  p.resumed = read_sensitivity_runs(p.h5, p.plan);  // checks that it is this analysis
  std::set<std::int64_t> rejected(p.resumed.rejected.begin(), p.resumed.rejected.end());
  const std::size_t width = p.plan.cohorts.size() * p.plan.metrics.size();
  for (const fs::path& f : leftover_rank_files(p.h5)) {
    SensitivityData part;
    try {
      part = read_sensitivity_runs(f, p.plan);
    } catch (const SensitivityError&) {  // unreadable or another analysis's: not ours
      continue;
    }
    p.rank_files.push_back(f);
    rejected.insert(part.rejected.begin(), part.rejected.end());
    for (std::size_t r = 0; r < part.complete.size(); ++r)
      if (part.complete[r] && !p.resumed.complete[r]) {
        std::copy_n(part.values.begin() + static_cast<std::ptrdiff_t>(r * width), width,
                    p.resumed.values.begin() + static_cast<std::ptrdiff_t>(r * width));
        p.resumed.complete[r] = 1;
        ++p.resumed.runs_done;
      }
  }
  p.trusted = p.resumed.runs_done;
  for (std::int64_t r : rejected)
    if (!p.resumed.complete[static_cast<std::size_t>(r)]) p.redone.push_back(r);
  p.resumed.interrupted = p.resumed.runs_done < p.plan.runs();
}

// Throws the input errors.
void prepare(const SensitivityArgs& a, Prepared& p) {
  SensitivityRequest req;
  req.method = a.method == "morris" ? SensitivityMethod::morris : SensitivityMethod::sobol;
  req.base_sets = a.sets;
  req.levers = a.levers;
  req.inputs = a.inputs;
  req.samples = a.samples >= 0 ? a.samples : (req.method == SensitivityMethod::sobol ? 256 : 20);
  req.replicates = a.replicates;
  req.metrics = a.metrics;
  req.stratify = a.stratify;
  req.phase_week = a.phase_week;
  req.levels = a.levels;
  req.bootstrap = a.bootstrap;
  const Scenario base = load_scenario(a.scenario, a.sets);
  p.base = base;
  req.master_seed = static_cast<std::uint64_t>(a.seed >= 0 ? a.seed : base.simulation.seed);
  p.plan = make_sensitivity_plan(a.scenario, req);

  p.h5 = a.output.empty() ? fs::path(fs::path(a.scenario).stem().string() + "-sensitivity.h5")
                          : fs::path(a.output);
  p.csv = p.h5;
  p.csv.replace_extension(".csv");
  if (p.csv == p.h5) p.csv += ".csv";
  p.saving = save_policy();
  std::error_code ec;
  if (a.resume) {
    // Killed during its first save, an analysis leaves only that save's temporary file: nothing
    // was kept, start again.
    const bool cut_short = remove_stale_temporaries(p.h5);
    if (!fs::exists(p.h5, ec)) {
      if (!cut_short)
        throw SensitivityError(p.h5.string() +
                               ": nothing to resume (no such file; drop --resume "
                               "to start)");
      io::check_output_path(p.h5, true);
      io::check_output_path(p.csv, true);
      p.restarted = true;
      return;
    }
    const SensitivityFileHeader header = read_sensitivity_header(p.h5);
    read_resumed(p);
    // Complete means every run vouched for by its checksum, and the CSV written (it is renamed
    // before the file, so a kill between the two leaves an interrupted file).
    if (header.status == "complete" && !p.resumed.interrupted && p.redone.empty() &&
        p.rank_files.empty() && fs::is_regular_file(p.csv, ec)) {
      p.complete_runs = header.runs_total;
      return;
    }
    io::check_output_path(p.h5, true);
    io::check_output_path(p.csv, true);
    p.resuming = true;
  } else {
    if (fs::is_regular_file(p.h5, ec) && !a.force) {
      bool interrupted = false;
      try {
        interrupted = read_sensitivity_header(p.h5).status == "interrupted";
      } catch (const SensitivityError&) {  // not a sensitivity file: the plain message below
      }
      if (interrupted)
        throw io::OutputError(p.h5.string() +
                              ": already exists and is an interrupted sensitivity "
                              "analysis (use --resume with the same arguments to "
                              "finish it, or --force to start again)");
    }
    io::check_output_path(p.h5, a.force);
    io::check_output_path(p.csv, a.force);
    remove_stale_temporaries(p.h5);
  }
}

// What --resume keeps and what it runs again (stdout unless --quiet; the runs that failed their
// checksum always on stderr).
void print_resume(const Prepared& p, bool quiet) {
  if (!p.redone.empty())
    std::cerr << "cdpsim: warning: " << p.h5.string() << ": " << p.redone.size()
              << " run(s) marked finished do not match their checksum (edited or damaged values, "
                 "or a flag without data): runs "
              << describe_runs(p.redone) << " are run again\n";
  if (quiet) return;
  if (p.restarted)
    std::printf(
        "cdpsim sensitivity: resuming %s: it was killed during its first save, before any run "
        "was kept; starting from the first run\n",
        p.h5.c_str());
  else
    std::printf(
        "cdpsim sensitivity: resuming %s: %lld finished run(s) verified and kept, %zu redone "
        "(failed their checksum), %lld to run in all\n",
        p.h5.c_str(), static_cast<long long>(p.trusted), p.redone.size(),
        static_cast<long long>(p.plan.runs() - p.trusted));
}

int sensitivity(const SensitivityArgs& a) {
  if (auto refused = refuse_mpirun_without_mpi("sensitivity")) return *refused;
  const Lang lang = lang_of(a.lang);
  ProcessGroup group;
  const Reporter say{group.is_root()};
  Prepared p;
  if (auto code = check_input(say, [&] { prepare(a, p); })) return *code;
  warn_shocks_beyond(say, p.base, p.plan.horizon);
  const SensitivityPlan& plan = p.plan;
  const fs::path& h5 = p.h5;
  if (p.complete_runs >= 0) {
    if (say.root && !a.quiet)
      std::printf("cdpsim sensitivity: %s is already complete (%lld runs); nothing to do\n",
                  h5.c_str(), static_cast<long long>(p.complete_runs));
    return kOk;
  }

  if (say.root && (p.resuming || p.restarted)) print_resume(p, a.quiet);

  const auto gc = limit_threads(a.threads);
  SensitivityData data;
  // Progress saves: the root saves the output (first save refused over a file that appeared
  // meanwhile, unless --force or resuming; later saves replace its own); when resuming runs from
  // rank files a killed job left, it saves them into the output before any run and drops them.
  // The other ranks save their rank files.
  bool saved = false;  // by this process, so later writes replace its own file
  const fs::path target = say.root ? h5 : rank_file_path(h5, group.rank(), group.size());
  SensitivityProgress saving{p.saving, [&](const SensitivityData& snapshot) {
                               io::write_atomically(
                                   target,
                                   [&](const fs::path& t) {
                                     write_sensitivity_file(t, plan, snapshot, nullptr);
                                     test_pause(p.saving);
                                   },
                                   !say.root || saved || a.force || p.resuming);
                               std::error_code ec;
                               if (say.root && !saved)
                                 for (const fs::path& f : p.rank_files) fs::remove(f, ec);
                               saved = true;
                             }};
  saving.save_first = p.resuming && !p.rank_files.empty();
  // Until the first save, a marker stands for an output that does not exist yet.
  std::optional<FirstSaveMarker> marker;
  if (say.root && !p.resuming && p.saving.enabled) marker.emplace(h5);
  if (say.root && !p.resuming) {  // an older job's rank files: not part of this one
    std::error_code ec;
    for (const fs::path& f : leftover_rank_files(h5)) fs::remove(f, ec);
  }
  const auto t0 = std::chrono::steady_clock::now();
  if (auto code = run_many("sensitivity", group, a.quiet, [&](const RunProgress& progress) {
        data = run_sensitivity(plan, p.resuming ? &p.resumed : nullptr, group, &stop_requested(),
                               progress, &saving);
      }))
    return *code;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!say.root) return stop_requested().load() ? kInterrupted : kOk;

  const bool replace = saved || a.force || p.resuming;
  // Once the output holds them, the rank files (this job's and those a killed one left) go.
  auto drop_rank_files = [&] {
    std::error_code ec;
    for (int k = 1; k < group.size(); ++k) fs::remove(rank_file_path(h5, k, group.size()), ec);
    for (const fs::path& f : p.rank_files) fs::remove(f, ec);
  };
  if (data.interrupted) {
    try {
      io::write_atomically(
          h5, [&](const fs::path& t) { write_sensitivity_file(t, plan, data, nullptr); }, replace);
    } catch (const std::exception& e) {
      std::cerr << "cdpsim: cannot write " << h5 << ": " << e.what() << "\n";
      return kRuntime;
    }
    drop_rank_files();
    std::cerr << "cdpsim: interrupted after " << data.runs_done << " of " << plan.runs()
              << " runs; " << h5.string()
              << " keeps every finished run (status = interrupted); finish it with the same "
                 "command and --resume\n";
    return kInterrupted;
  }
  const SensitivityReport rep = analyse_sensitivity(plan, data);
  try {
    // The CSV is renamed first: a kill between the two leaves the file interrupted, to resume.
    io::write_all_atomically(
        {{p.csv, [&](const fs::path& t) { write_sensitivity_csv(t, plan, rep); }},
         {h5, [&](const fs::path& t) { write_sensitivity_file(t, plan, data, &rep); }}},
        replace);
  } catch (const std::exception& e) {
    std::cerr << "cdpsim: cannot write the sensitivity output: " << e.what() << "\n";
    return kRuntime;
  }
  drop_rank_files();
  if (!a.quiet) {
    print_sensitivity(stdout, plan, data, rep, lang);
    const bool en = lang == Lang::en;  // English plurals take a suffix, French ones none here
    auto number = [lang](const char* format, double v) {
      char b[32];
      std::snprintf(b, sizeof b, format, v);
      return localize_number(b, lang);
    };
    std::printf(std::string(text(lang, Text::sens_done)).c_str(),
                static_cast<long long>(data.simulated), number("%.1f", secs).c_str(),
                number("%.2f", secs > 0 ? static_cast<double>(data.simulated) / secs : 0.0).c_str(),
                group.size(), en && group.size() != 1 ? "es" : "", h5.c_str(), p.csv.c_str());
    if (data.saves > 0)
      std::printf(std::string(text(lang, Text::sens_saves)).c_str(), data.saves,
                  en && data.saves != 1 ? "s" : "", number("%.3f", data.save_seconds).c_str(),
                  (number("%.2f", secs > 0 ? 100.0 * data.save_seconds / secs : 0.0) +
                   (en ? "%" : "\u00a0%"))
                      .c_str());
  }
  return kOk;
}

Action add(CLI::App& sub) {
  auto a = std::make_shared<SensitivityArgs>();
  sub.add_option("scenario", a->scenario, "scenario TOML file")->required();
  sub.add_option("--method", a->method, "morris (screening) or sobol (variance-based indices)")
      ->required()
      ->check(CLI::IsMember({"morris", "sobol"}));
  sub.add_option("--levers", a->levers,
                 "levers to vary in [0, 1]: all (default), none, or NAME,NAME,... (the others "
                 "keep the scenario's values; the dummy is always added)");
  sub.add_option("--input", a->inputs,
                 "also vary an intervention parameter over [MIN, MAX]: "
                 "interventions.N.KEY=MIN,MAX (repeatable; e.g. "
                 "interventions.0.budget_hours=500,5000)");
  sub.add_option("--samples", a->samples,
                 "Sobol: N base samples, N (k + 2) points (default 256; powers of two balance "
                 "best); Morris: r trajectories, r (k + 1) points (default 20)");
  sub.add_option("--replicates", a->replicates,
                 "runs per design point, common random numbers "
                 "(default 3)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10000}));
  sub.add_option("--metric", a->metrics,
                 "output metric (repeatable; default: cdp_survival and cdp_autonomy; see "
                 "docs/sensitivity.md for the list)");
  sub.add_option("--stratify", a->stratify,
                 "indices per stratum: phase (CdP phase at --phase-week), pandemic (with and "
                 "without the shock), competition (low 0.1 / high 0.8), support_mode (none, "
                 "expert, capacity_building); phase may be combined with one other key");
  sub.add_option("--phase-week", a->phase_week,
                 "measurement week of --stratify phase (default: the pandemic's first week, else "
                 "mid-horizon)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{5200}));
  sub.add_option("--levels", a->levels, "Morris grid levels (even; default 4)");
  sub.add_option("--bootstrap", a->bootstrap,
                 "bootstrap resamples for the intervals (default 200)");
  add_seed_option(sub, a->seed, "master seed (default: simulation.seed)");
  sub.add_option("--set", a->sets, "override a value in every run: section.key=value (repeatable)");
  refuse_empty_value(
      sub.add_option("-o,--output", a->output,
                     "output HDF5 file (default: SCENARIO-sensitivity.h5); the CSV goes next to it "
                     "with the extension .csv"));
  add_threads_option(sub, a->threads, "worker threads (default: all cores)");
  sub.add_flag("--resume", a->resume, "finish the interrupted analysis in -o (same arguments)");
  sub.add_flag("--force", a->force, "replace existing output files");
  add_strict_flag(sub);
  add_lang_option(sub, a->lang);
  sub.add_flag("-q,--quiet", a->quiet, "no progress bar and no table");
  return [a] { return sensitivity(*a); };
}

}  // namespace

const Command sensitivity_command{
    "sensitivity",
    "rank the levers by influence: Morris screening or Sobol indices, with a dummy lever as noise "
    "floor, replicates and strata (docs/sensitivity.md)",
    add};

}  // namespace cdpsim::app
