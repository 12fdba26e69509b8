#include "app/experiments.hpp"

#include <tbb/global_control.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/stop.hpp"
#include "sim/engine/compare.hpp"
#include "sim/engine/compare_report.hpp"
#include "sim/engine/design.hpp"
#include "sim/engine/ensemble_job.hpp"
#include "sim/engine/process_group.hpp"
#include "sim/engine/run.hpp"
#include "sim/engine/shards.hpp"
#include "sim/engine/summary.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/progress.hpp"
#include "sim/scenario/loader.hpp"

namespace cdpsim::app {

namespace {

namespace fs = std::filesystem;

std::atomic<bool>& g_stop = stop_requested();

// Test hook (docs/ensembles.md): CDPSIM_TEST_STOP_AFTER_RUNS=N takes the Ctrl-C path once this
// process has finished N runs, so interruption and --resume are tested without timing races.
std::int64_t stop_after_runs() {
  const char* v = std::getenv("CDPSIM_TEST_STOP_AFTER_RUNS");
  return v ? std::atoll(v) : -1;
}

// Messages go out once: from rank 0 under MPI (every rank finds the same bad input).
struct Reporter {
  bool root = true;
  int bad_input(const std::string& msg) const {
    if (root) std::cerr << "cdpsim: error: " << msg << "\n";
    return kBadInput;
  }
};

std::unique_ptr<tbb::global_control> limit_threads(int threads) {
  if (threads <= 0) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               threads);
}

// Refuses `mpirun -n K` on a binary without MPI: K copies would each run everything and race
// for the same output file.
std::optional<int> refuse_mpirun_without_mpi(const char* command) {
  if (ProcessGroup::built_with_mpi() || !ProcessGroup::launched_as_one_of_many()) return {};
  std::cerr << "cdpsim: error: " << command
            << " was started by an MPI launcher, but this cdpsim was built without MPI "
               "(configure with -DCDPSIM_MPI=ON), so every process would run every run\n";
  return kBadInput;
}

std::function<void(std::int64_t, std::int64_t)> progress_of(ProgressBar& bar) {
  const std::int64_t stop_after = stop_after_runs();
  return [&bar, stop_after](std::int64_t done, std::int64_t total) {
    bar.update(done, total);
    if (stop_after >= 0 && done >= stop_after) g_stop.store(true);
  };
}

std::string rank_label(const char* command, const ProcessGroup& g) {
  std::string s = std::string("cdpsim ") + command;
  if (g.size() > 1) s += " (rank 0 of " + std::to_string(g.size()) + ")";
  return s;
}

// --------------------------------------------------------------------------------------------
// cdpsim ensemble

struct EnsembleArgs {
  std::string scenario;
  std::int64_t replicates = 1;
  std::vector<std::string> sweeps;
  std::vector<std::string> sets;
  std::string design = "grid";
  std::int64_t samples = -1;  // -1: not given
  std::int64_t seed = -1;     // -1: the scenario's simulation.seed
  std::string output;
  std::string runs;
  int threads = 0;
  bool force = false;
  bool resume = false;
  bool quiet = false;
};

void print_ensemble_summary(const EnsemblePlan& plan, const PreparedEnsembleJob& job,
                            const EnsembleJobResult& res, const ProcessGroup& group, double secs) {
  std::printf(
      "cdpsim ensemble: scenario '%s', %lld points x %lld replicates = %lld runs "
      "(ensemble_id %s)\n",
      plan.scenario_name.c_str(), static_cast<long long>(plan.points()),
      static_cast<long long>(plan.replicates()), static_cast<long long>(plan.runs()),
      plan.ensemble_id.c_str());
  // Runs finished now = finished in the output minus those the resumed file already held.
  const auto held_before = res.in_output - static_cast<std::int64_t>(job.pending.size());
  const std::int64_t now = res.complete - held_before;
  std::printf("  runs           %lld of %lld in this file finished%s; %lld simulated now\n",
              static_cast<long long>(res.complete), static_cast<long long>(res.in_output),
              res.interrupted ? " (INTERRUPTED)" : "", static_cast<long long>(now));
  std::printf(
      "  time           %.2f s, %.2f runs/s on %d process%s; simulations alone %.2f s "
      "(summed over %s runs)\n",
      secs, secs > 0 ? static_cast<double>(now) / secs : 0.0, group.size(),
      group.size() == 1 ? "" : "es", res.simulate_seconds, group.size() == 1 ? "the" : "rank 0's");
  std::printf("  output         %s\n", job.request.output.c_str());
}

int cmd_ensemble(const EnsembleArgs& a) {
  if (auto refused = refuse_mpirun_without_mpi("cdpsim ensemble")) return *refused;
  ProcessGroup group;
  const Reporter say{group.is_root()};
  EnsemblePlan plan;
  PreparedEnsembleJob job;
  try {
    DesignRequest req;
    req.base_sets = a.sets;
    for (const std::string& s : a.sweeps) req.sweeps.push_back(parse_sweep(s));
    req.kind = a.design == "lhs" ? DesignKind::lhs : DesignKind::grid;
    if (req.kind == DesignKind::grid && a.samples >= 0)
      throw DesignError(
          "--samples applies to --design lhs only (a grid has one point per "
          "combination of the swept values)");
    if (req.kind == DesignKind::lhs && a.samples < 0)
      throw DesignError("--design lhs needs --samples N (the number of design points)");
    req.samples = std::max<std::int64_t>(a.samples, 0);
    req.replicates = a.replicates;
    const Scenario base = load_scenario(a.scenario, a.sets);
    req.master_seed = static_cast<std::uint64_t>(a.seed >= 0 ? a.seed : base.simulation.seed);
    plan = make_plan(a.scenario, req);

    EnsembleJobRequest jr;
    jr.force = a.force;
    jr.resume = a.resume;
    if (!a.runs.empty()) std::tie(jr.begin, jr.end) = parse_run_range(a.runs);
    std::string out = a.output;
    if (out.empty()) {
      out = fs::path(a.scenario).stem().string() + "-ensemble";
      if (!a.runs.empty())
        out += "-runs-" + std::to_string(jr.begin) + "-" + std::to_string(jr.end);
      out += ".h5";
    }
    jr.output = out;
    job = prepare_ensemble_job(plan, jr);
  } catch (const ScenarioError& e) {
    return say.bad_input(e.what());
  } catch (const DesignError& e) {
    return say.bad_input(e.what());
  } catch (const OutputError& e) {
    return say.bad_input(e.what());
  } catch (const EnsembleFileError& e) {
    return say.bad_input(e.what());
  }
  const std::string out = job.request.output.string();
  if (job.pending.empty()) {
    if (say.root && !a.quiet)
      std::printf("cdpsim ensemble: %s already holds every run (%lld); nothing to do\n",
                  out.c_str(), static_cast<long long>(job.end - job.begin));
    return kOk;
  }

  const auto gc = limit_threads(a.threads);
  catch_stop_signals();
  EnsembleJobResult res;
  const auto t0 = std::chrono::steady_clock::now();
  {
    ProgressBar bar(rank_label("ensemble", group), "runs", !a.quiet && group.is_root());
    try {
      res = run_ensemble_job(plan, job, group, &g_stop, progress_of(bar));
    } catch (const std::exception& e) {
      bar.finish();
      std::cerr << "cdpsim: ensemble failed: " << e.what() << "\n";
      return kRuntime;
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!res.ok) {
    if (say.root)
      std::cerr << "cdpsim: ensemble failed on another rank; " << out
                << " was not written (the ranks' shard files keep their runs)\n";
    return kRuntime;
  }
  if (!group.is_root()) return res.interrupted ? kInterrupted : kOk;
  if (!a.quiet || res.interrupted) print_ensemble_summary(plan, job, res, group, secs);
  if (res.interrupted) {
    std::cerr << "cdpsim: interrupted; " << out
              << " keeps every finished run (status = interrupted); finish it with the same "
                 "command and --resume\n";
    return kInterrupted;
  }
  return kOk;
}

// --------------------------------------------------------------------------------------------
// cdpsim compare

struct CompareArgs {
  std::vector<std::string> scenarios;
  std::int64_t replicates = 20;
  std::vector<std::string> metrics;
  std::vector<std::string> hypotheses;
  std::vector<std::string> sets;
  std::int64_t horizon = -1;
  std::int64_t seed = -1;
  std::string output;
  int threads = 0;
  bool force = false;
  bool quiet = false;
};

int cmd_compare(const CompareArgs& a) {
  if (auto refused = refuse_mpirun_without_mpi("cdpsim compare")) return *refused;
  ProcessGroup group;
  const Reporter say{group.is_root()};
  CompareRequest req;
  std::vector<Hypothesis> hypotheses;
  fs::path csv, json, h5;
  try {
    if (a.scenarios.size() < 2)
      throw CompareError(
          "compare needs a baseline and at least one other scenario "
          "(cdpsim compare BASELINE.toml OTHER.toml...)");
    for (const std::string& p : a.scenarios)
      req.scenarios.push_back({fs::path(p).stem().string(), p, load_scenario(p, a.sets)});
    const Scenario& base = req.scenarios[0].scenario;
    if (a.metrics.empty()) {
      for (std::size_t i = 0; i < 6; ++i) req.metrics.emplace_back(metric_catalogue()[i].name);
    } else {
      for (const std::string& m : a.metrics) {
        check_metric(m);
        if (std::find(req.metrics.begin(), req.metrics.end(), m) == req.metrics.end())
          req.metrics.push_back(m);
      }
    }
    for (const std::string& h : a.hypotheses) {
      hypotheses.push_back(parse_hypothesis(h, req.scenarios));
      const std::string& m = hypotheses.back().metric;
      if (std::find(req.metrics.begin(), req.metrics.end(), m) == req.metrics.end())
        req.metrics.push_back(m);
    }
    req.replicates = a.replicates;
    req.horizon = a.horizon >= 0 ? a.horizon : base.simulation.weeks;
    req.master_seed = static_cast<std::uint64_t>(a.seed >= 0 ? a.seed : base.simulation.seed);
    check_request(req);
    if (!a.output.empty()) {
      fs::path stem(a.output);
      if (stem.has_extension()) stem.replace_extension();
      csv = stem.string() + ".csv";
      json = stem.string() + ".json";
      h5 = stem.string() + ".h5";
      for (const fs::path& p : {csv, json, h5}) check_output_path(p, a.force);
    }
  } catch (const ScenarioError& e) {
    return say.bad_input(e.what());
  } catch (const CompareError& e) {
    return say.bad_input(e.what());
  } catch (const OutputError& e) {
    return say.bad_input(e.what());
  }

  const auto gc = limit_threads(a.threads);
  catch_stop_signals();
  CompareData data;
  {
    ProgressBar bar(rank_label("compare", group), "runs", !a.quiet && group.is_root());
    try {
      data = run_comparison(req, group, &g_stop, progress_of(bar));
    } catch (const std::exception& e) {
      bar.finish();
      std::cerr << "cdpsim: compare failed: " << e.what() << "\n";
      return kRuntime;
    }
  }
  if (!group.is_root()) return g_stop.load() ? kInterrupted : kOk;
  if (data.interrupted) {
    std::cerr << "cdpsim: interrupted after " << data.runs_done << " of "
              << req.scenarios.size() * static_cast<std::size_t>(req.replicates)
              << " runs; a comparison needs every run, so nothing was written\n";
    return kInterrupted;
  }
  const CompareReport rep = analyse(req, data, hypotheses);
  print_comparison(stdout, req, rep);
  if (!a.output.empty()) {
    try {
      io::write_atomically(csv, [&](const fs::path& t) { write_comparison_csv(t, req, rep); });
      io::write_atomically(json,
                           [&](const fs::path& t) { write_comparison_json(t, req, data, rep); });
      io::write_atomically(h5, [&](const fs::path& t) { write_comparison_h5(t, req, data, rep); });
    } catch (const std::exception& e) {
      std::cerr << "cdpsim: cannot write the comparison: " << e.what() << "\n";
      return kRuntime;
    }
    if (!a.quiet) std::printf("\noutput: %s, %s, %s\n", csv.c_str(), json.c_str(), h5.c_str());
  }
  return kOk;
}

// --------------------------------------------------------------------------------------------
// cdpsim merge

struct MergeArgs {
  std::vector<std::string> shards;
  std::string output;
  bool force = false;
  bool quiet = false;
};

int cmd_merge(const MergeArgs& a) {
  const Reporter say;
  std::vector<fs::path> inputs(a.shards.begin(), a.shards.end());
  MergeOutcome m;
  try {
    check_output_path(a.output, a.force);
    m = merge_ensemble_files(inputs, a.output);
  } catch (const OutputError& e) {
    return say.bad_input(e.what());
  } catch (const EnsembleFileError& e) {
    return say.bad_input(e.what());
  } catch (const std::exception& e) {
    std::cerr << "cdpsim: merge failed: " << e.what() << "\n";
    return kRuntime;
  }
  if (!a.quiet)
    std::printf("cdpsim merge: %lld runs of ensemble %s from %zu file(s) into %s\n",
                static_cast<long long>(m.runs), m.ensemble_id.c_str(), inputs.size(),
                a.output.c_str());
  return kOk;
}

}  // namespace

struct ExperimentCommands::Impl {
  EnsembleArgs ensemble;
  CompareArgs compare;
  MergeArgs merge;
  CLI::App* ensemble_cmd = nullptr;
  CLI::App* compare_cmd = nullptr;
  CLI::App* merge_cmd = nullptr;
};

ExperimentCommands::ExperimentCommands(CLI::App& app) : impl_(std::make_unique<Impl>()) {
  const auto seed_range = CLI::Range(std::int64_t{0}, std::int64_t{9'000'000'000'000'000});
  EnsembleArgs& e = impl_->ensemble;
  auto* ens = app.add_subcommand(
      "ensemble",
      "run replicates and parameter sweeps into one HDF5 file (threads, MPI ranks or "
      "--runs slices)");
  ens->add_option("scenario", e.scenario, "scenario TOML file")->required();
  ens->add_option("--replicates", e.replicates, "replicates per design point")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
  ens->add_option("--sweep", e.sweeps,
                  "vary a value: KEY=V1,V2,... (repeatable; grid: every combination)");
  ens->add_option("--design", e.design,
                  "grid (default) or lhs (Latin hypercube over the sweeps' "
                  "[min, max] ranges)")
      ->check(CLI::IsMember({"grid", "lhs"}));
  ens->add_option("--samples", e.samples, "design points of --design lhs");
  ens->add_option("--seed", e.seed, "master seed (default: simulation.seed)")->check(seed_range);
  ens->add_option("--set", e.sets, "override a value in every run: section.key=value (repeatable)");
  ens->add_option("-o,--output", e.output, "output HDF5 file (default: SCENARIO-ensemble.h5)");
  ens->add_option("--runs", e.runs,
                  "run only the slice A:B of the run order (a shard for "
                  "cdpsim merge)");
  ens->add_option("--threads", e.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  ens->add_flag("--resume", e.resume, "finish the interrupted ensemble in -o (same arguments)");
  ens->add_flag("--force", e.force, "replace an existing output file");
  ens->add_flag("-q,--quiet", e.quiet, "no progress bar and no summary");
  impl_->ensemble_cmd = ens;

  CompareArgs& c = impl_->compare;
  auto* cmp = app.add_subcommand(
      "compare", "compare scenarios with a baseline under common random numbers (for funders)");
  cmp->add_option("scenarios", c.scenarios, "BASELINE.toml OTHER.toml...")->required();
  cmp->add_option("--replicates", c.replicates, "replicates per scenario (default 20)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000}));
  cmp->add_option("--metric", c.metrics,
                  "metric to report (repeatable; default: the first six "
                  "of the catalogue, see docs/ensembles.md)");
  cmp->add_option("--hypothesis", c.hypotheses,
                  "directional hypothesis \"OTHER > BASELINE on METRIC\" (repeatable)");
  cmp->add_option("--horizon", c.horizon, "weeks simulated (default: the baseline's weeks)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{5200}));
  cmp->add_option("--seed", c.seed, "master seed (default: the baseline's simulation.seed)")
      ->check(seed_range);
  cmp->add_option("--set", c.sets, "override a value in every scenario (repeatable)");
  cmp->add_option("-o,--output", c.output, "write OUT.csv, OUT.json and OUT.h5");
  cmp->add_option("--threads", c.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  cmp->add_flag("--force", c.force, "replace existing output files");
  cmp->add_flag("-q,--quiet", c.quiet, "no progress bar");
  impl_->compare_cmd = cmp;

  MergeArgs& m = impl_->merge;
  auto* mrg = app.add_subcommand("merge", "assemble ensemble shards (--runs slices) into one file");
  mrg->add_option("shards", m.shards, "shard files of one ensemble")->required();
  mrg->add_option("-o,--output", m.output, "output HDF5 file")->required();
  mrg->add_flag("--force", m.force, "replace an existing output file");
  mrg->add_flag("-q,--quiet", m.quiet, "no summary");
  impl_->merge_cmd = mrg;
}

ExperimentCommands::~ExperimentCommands() = default;

std::optional<int> ExperimentCommands::run() const {
  if (*impl_->ensemble_cmd) return cmd_ensemble(impl_->ensemble);
  if (*impl_->compare_cmd) return cmd_compare(impl_->compare);
  if (*impl_->merge_cmd) return cmd_merge(impl_->merge);
  return std::nullopt;
}

}  // namespace cdpsim::app
