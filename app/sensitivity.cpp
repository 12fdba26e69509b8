#include "app/sensitivity.hpp"

#include <tbb/global_control.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/stop.hpp"
#include "sim/engine/process_group.hpp"
#include "sim/engine/run.hpp"
#include "sim/engine/sensitivity.hpp"
#include "sim/engine/sensitivity_output.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/progress.hpp"
#include "sim/scenario/loader.hpp"

namespace cdpsim::app {

namespace {

namespace fs = std::filesystem;

std::atomic<bool>& g_stop = stop_requested();

// Test hook shared with `cdpsim ensemble` (docs/ensembles.md): CDPSIM_TEST_STOP_AFTER_RUNS=N
// takes the Ctrl-C path once this process has finished N runs.
std::int64_t stop_after_runs() {
  const char* v = std::getenv("CDPSIM_TEST_STOP_AFTER_RUNS");
  return v ? std::atoll(v) : -1;
}

struct Args {
  std::string scenario;
  std::string method;
  std::vector<std::string> levers;
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
};

int run_sensitivity_command(const Args& a) {
  if (!ProcessGroup::built_with_mpi() && ProcessGroup::launched_as_one_of_many()) {
    std::cerr << "cdpsim: error: cdpsim sensitivity was started by an MPI launcher, but this "
                 "cdpsim was built without MPI (configure with -DCDPSIM_MPI=ON), so every "
                 "process would run every run\n";
    return kBadInput;
  }
  ProcessGroup group;
  const bool root = group.is_root();
  auto bad_input = [&](const std::string& msg) {
    if (root) std::cerr << "cdpsim: error: " << msg << "\n";
    return kBadInput;
  };

  SensitivityPlan plan;
  SensitivityData resumed;
  bool resuming = false;
  fs::path h5, csv;
  try {
    SensitivityRequest req;
    req.method = a.method == "morris" ? SensitivityMethod::morris : SensitivityMethod::sobol;
    req.base_sets = a.sets;
    req.levers = a.levers;
    req.samples = a.samples >= 0 ? a.samples : (req.method == SensitivityMethod::sobol ? 256 : 20);
    req.replicates = a.replicates;
    req.metrics = a.metrics;
    req.stratify = a.stratify;
    req.phase_week = a.phase_week;
    req.levels = a.levels;
    req.bootstrap = a.bootstrap;
    const Scenario base = load_scenario(a.scenario, a.sets);
    req.master_seed = static_cast<std::uint64_t>(a.seed >= 0 ? a.seed : base.simulation.seed);
    plan = make_sensitivity_plan(a.scenario, req);

    h5 = a.output.empty() ? fs::path(fs::path(a.scenario).stem().string() + "-sensitivity.h5")
                          : fs::path(a.output);
    csv = h5;
    csv.replace_extension(".csv");
    if (csv == h5) csv += ".csv";
    std::error_code ec;
    if (a.resume) {
      if (!fs::exists(h5, ec))
        throw SensitivityError(h5.string() +
                               ": nothing to resume (no such file; drop --resume "
                               "to start)");
      const SensitivityFileHeader header = read_sensitivity_header(h5);
      resumed = read_sensitivity_runs(h5, plan);  // checks that it is this analysis
      if (header.status == "complete") {
        if (root && !a.quiet)
          std::printf("cdpsim sensitivity: %s is already complete (%lld runs); nothing to do\n",
                      h5.c_str(), static_cast<long long>(header.runs_total));
        return kOk;
      }
      check_output_path(h5, true);
      check_output_path(csv, true);
      resuming = true;
    } else {
      if (fs::is_regular_file(h5, ec) && !a.force) {
        bool interrupted = false;
        try {
          interrupted = read_sensitivity_header(h5).status == "interrupted";
        } catch (const SensitivityError&) {  // not a sensitivity file: the plain message below
        }
        if (interrupted)
          throw OutputError(h5.string() +
                            ": already exists and is an interrupted sensitivity "
                            "analysis (use --resume with the same arguments to "
                            "finish it, or --force to start again)");
      }
      check_output_path(h5, a.force);
      check_output_path(csv, a.force);
    }
  } catch (const ScenarioError& e) {
    return bad_input(e.what());
  } catch (const SensitivityError& e) {
    return bad_input(e.what());
  } catch (const OutputError& e) {
    return bad_input(e.what());
  } catch (const std::invalid_argument& e) {
    return bad_input(e.what());
  }

  std::unique_ptr<tbb::global_control> gc;
  if (a.threads > 0)
    gc = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               a.threads);
  catch_stop_signals();
  const std::int64_t stop_after = stop_after_runs();
  std::string label = "cdpsim sensitivity";
  if (group.size() > 1) label += " (rank 0 of " + std::to_string(group.size()) + ")";
  SensitivityData data;
  const auto t0 = std::chrono::steady_clock::now();
  {
    ProgressBar bar(label, "runs", !a.quiet && root);
    try {
      data = run_sensitivity(plan, resuming ? &resumed : nullptr, group, &g_stop,
                             [&](std::int64_t done, std::int64_t total) {
                               bar.update(done, total);
                               if (stop_after >= 0 && done >= stop_after) g_stop.store(true);
                             });
    } catch (const std::exception& e) {
      bar.finish();
      std::cerr << "cdpsim: sensitivity failed: " << e.what() << "\n";
      return kRuntime;
    }
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!root) return g_stop.load() ? kInterrupted : kOk;

  if (data.interrupted) {
    try {
      io::write_atomically(
          h5, [&](const fs::path& t) { write_sensitivity_file(t, plan, data, nullptr); });
    } catch (const std::exception& e) {
      std::cerr << "cdpsim: cannot write " << h5 << ": " << e.what() << "\n";
      return kRuntime;
    }
    std::cerr << "cdpsim: interrupted after " << data.runs_done << " of " << plan.runs()
              << " runs; " << h5.string()
              << " keeps every finished run (status = interrupted); finish it with the same "
                 "command and --resume\n";
    return kInterrupted;
  }
  const SensitivityReport rep = analyse_sensitivity(plan, data);
  try {
    io::write_atomically(h5,
                         [&](const fs::path& t) { write_sensitivity_file(t, plan, data, &rep); });
    io::write_atomically(csv, [&](const fs::path& t) { write_sensitivity_csv(t, plan, rep); });
  } catch (const std::exception& e) {
    std::cerr << "cdpsim: cannot write the sensitivity output: " << e.what() << "\n";
    return kRuntime;
  }
  if (!a.quiet) {
    print_sensitivity(stdout, plan, data, rep);
    std::printf(
        "\nruns: %lld simulated now in %.1f s (%.2f runs/s, %d process%s); output: %s, %s\n",
        static_cast<long long>(data.simulated), secs,
        secs > 0 ? static_cast<double>(data.simulated) / secs : 0.0, group.size(),
        group.size() == 1 ? "" : "es", h5.c_str(), csv.c_str());
  }
  return kOk;
}

}  // namespace

struct SensitivityCommand::Impl {
  Args args;
  CLI::App* cmd = nullptr;
};

SensitivityCommand::SensitivityCommand(CLI::App& app) : impl_(std::make_unique<Impl>()) {
  Args& a = impl_->args;
  auto* c =
      app.add_subcommand("sensitivity",
                         "rank the levers by influence: Morris screening or Sobol indices, with a "
                         "dummy lever as noise floor, replicates and strata (docs/sensitivity.md)");
  c->add_option("scenario", a.scenario, "scenario TOML file")->required();
  c->add_option("--method", a.method, "morris (screening) or sobol (variance-based indices)")
      ->required()
      ->check(CLI::IsMember({"morris", "sobol"}));
  c->add_option("--levers", a.levers,
                "levers to vary in [0, 1]: all (default) or NAME,NAME,... (the others keep the "
                "scenario's values; the dummy is always added)");
  c->add_option("--samples", a.samples,
                "Sobol: N base samples, N (k + 2) points (default 256; powers of two balance "
                "best); Morris: r trajectories, r (k + 1) points (default 20)");
  c->add_option("--replicates", a.replicates,
                "runs per design point, common random numbers "
                "(default 3)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{10000}));
  c->add_option("--metric", a.metrics,
                "output metric (repeatable; default: cdp_survival and cdp_autonomy; see "
                "docs/sensitivity.md for the list)");
  c->add_option("--stratify", a.stratify,
                "indices per stratum: phase (CdP phase at --phase-week), pandemic (with and "
                "without the shock), competition (low 0.1 / high 0.8), support_mode (none, "
                "expert, capacity_building); phase may be combined with one other key");
  c->add_option("--phase-week", a.phase_week,
                "measurement week of --stratify phase (default: the pandemic's first week, else "
                "mid-horizon)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{5200}));
  c->add_option("--levels", a.levels, "Morris grid levels (even; default 4)");
  c->add_option("--bootstrap", a.bootstrap, "bootstrap resamples for the intervals (default 200)");
  c->add_option("--seed", a.seed, "master seed (default: simulation.seed)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{9'000'000'000'000'000}));
  c->add_option("--set", a.sets, "override a value in every run: section.key=value (repeatable)");
  c->add_option("-o,--output", a.output,
                "output HDF5 file (default: SCENARIO-sensitivity.h5); the CSV goes next to it "
                "with the extension .csv");
  c->add_option("--threads", a.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  c->add_flag("--resume", a.resume, "finish the interrupted analysis in -o (same arguments)");
  c->add_flag("--force", a.force, "replace existing output files");
  c->add_flag("-q,--quiet", a.quiet, "no progress bar and no table");
  impl_->cmd = c;
}

SensitivityCommand::~SensitivityCommand() = default;

std::optional<int> SensitivityCommand::run() const {
  if (*impl_->cmd) return run_sensitivity_command(impl_->args);
  return std::nullopt;
}

}  // namespace cdpsim::app
