// cdpsim ensemble: replicates and parameter sweeps (grid or Latin hypercube) into one HDF5 file,
// across threads, MPI ranks or --runs slices merged later (docs/ensembles.md).
#include <tbb/task_arena.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/command.hpp"
#include "experiments/ensemble/design.hpp"
#include "experiments/ensemble/ensemble_job.hpp"
#include "experiments/ensemble/shards.hpp"
#include "experiments/memory_plan.hpp"
#include "experiments/run/checkpoint.hpp"
#include "experiments/scenario_io.hpp"
#include "sim/parallel/process_group.hpp"

namespace cdpsim::app {

namespace {

namespace fs = std::filesystem;

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
  std::string from;
};

void print_summary(const EnsemblePlan& plan, const PreparedEnsembleJob& job,
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
  if (res.saves > 0)
    std::printf("  progress       saved %d time%s while running (%.3f s, %.2f%% of the time)\n",
                res.saves, res.saves == 1 ? "" : "s", res.save_seconds,
                secs > 0 ? 100.0 * res.save_seconds / secs : 0.0);
}

// The plan and this process's share of it, from the arguments (throws the input errors).
void prepare(const EnsembleArgs& a, EnsemblePlan& plan, PreparedEnsembleJob& job) {
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
  EnsembleJobRequest jr;
  jr.force = a.force;
  jr.resume = a.resume;
  if (!a.runs.empty()) std::tie(jr.begin, jr.end) = parse_run_range(a.runs);
  // Before the plan allocates anything: the runs this process will hold (its --runs slice, or
  // every run), their seeds and one world per thread.
  const std::int64_t held = a.runs.empty() ? planned_runs(req) : jr.end - jr.begin;
  check_memory(
      "cdpsim ensemble",
      ensemble_bytes_estimate(base, held, req.replicates, tbb::this_task_arena::max_concurrency()),
      "use fewer runs, or split them over processes with --runs");
  plan = make_plan(a.scenario, req);
  if (!a.from.empty()) branch_plan(plan, read_checkpoint(a.from), a.from);

  std::string out = a.output;
  if (out.empty()) {
    out = fs::path(a.scenario).stem().string() + "-ensemble";
    if (!a.runs.empty()) out += "-runs-" + std::to_string(jr.begin) + "-" + std::to_string(jr.end);
    out += ".h5";
  }
  jr.output = out;
  const SavePolicy saving = save_policy();
  job = prepare_ensemble_job(plan, jr);
  job.saving = saving;
}

// What --resume keeps and what it runs again (stdout unless --quiet; the runs whose data failed
// their checksum always on stderr).
void print_resume(const PreparedEnsembleJob& job, bool quiet) {
  const std::string out = job.request.output.string();
  if (!job.redone.empty())
    std::cerr << "cdpsim: warning: " << out << ": " << job.redone.size()
              << " run(s) marked finished do not match their checksum (edited or damaged values, "
                 "or a flag without data): runs "
              << describe_runs(job.redone) << " are run again\n";
  if (quiet) return;
  if (job.restarted) {
    std::printf(
        "cdpsim ensemble: resuming %s: it was killed during its first save, before any run was "
        "kept; starting from the first run\n",
        out.c_str());
    return;
  }
  std::printf(
      "cdpsim ensemble: resuming %s: %lld finished run(s) verified and kept, %lld redone (failed "
      "their checksum), %lld to run in all\n",
      out.c_str(), static_cast<long long>(job.trusted), static_cast<long long>(job.redone.size()),
      static_cast<long long>(job.pending.size()));
}

int ensemble(const EnsembleArgs& a) {
  if (auto refused = refuse_mpirun_without_mpi("ensemble")) return *refused;
  ProcessGroup group;
  const Reporter say{group.is_root()};
  EnsemblePlan plan;
  PreparedEnsembleJob job;
  if (auto code = check_input(say, [&] { prepare(a, plan, job); })) return *code;
  warn_shocks_beyond(say, plan.base, plan.base.simulation.weeks);
  const std::string out = job.request.output.string();
  if (say.root && (job.resumed || job.restarted) && !job.pending.empty())
    print_resume(job, a.quiet);
  if (job.pending.empty()) {
    if (say.root && !a.quiet)
      std::printf("cdpsim ensemble: %s already holds every run (%lld); nothing to do\n",
                  out.c_str(), static_cast<long long>(job.end - job.begin));
    return kOk;
  }

  const auto gc = limit_threads(a.threads);
  EnsembleJobResult res;
  const auto t0 = std::chrono::steady_clock::now();
  if (auto code = run_many("ensemble", group, a.quiet, [&](const RunProgress& progress) {
        res = run_ensemble_job(plan, job, group, &stop_requested(), progress);
      }))
    return *code;
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!res.ok) {
    if (say.root)
      std::cerr << "cdpsim: ensemble failed on another rank; " << out
                << " was not written (the ranks' shard files keep their runs)\n";
    return kRuntime;
  }
  if (!group.is_root()) return res.interrupted ? kInterrupted : kOk;
  if (!a.quiet || res.interrupted) print_summary(plan, job, res, group, secs);
  if (res.interrupted) {
    std::cerr << "cdpsim: interrupted; " << out
              << " keeps every finished run (status = interrupted); finish it with the same "
                 "command and --resume\n";
    return kInterrupted;
  }
  return kOk;
}

Action add(CLI::App& sub) {
  auto a = std::make_shared<EnsembleArgs>();
  sub.add_option("scenario", a->scenario, "scenario TOML file")->required();
  sub.add_option("--replicates", a->replicates, "replicates per design point")
      ->required()
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
  sub.add_option("--sweep", a->sweeps,
                 "vary a value: KEY=V1,V2,... with KEY any --set key, e.g. levers.animation or "
                 "interventions.0.budget_hours (repeatable; grid: every combination)");
  sub.add_option("--design", a->design,
                 "grid (default) or lhs (Latin hypercube over the sweeps' "
                 "[min, max] ranges)")
      ->check(CLI::IsMember({"grid", "lhs"}));
  sub.add_option("--samples", a->samples, "design points of --design lhs");
  add_seed_option(sub, a->seed, "master seed (default: simulation.seed)");
  sub.add_option("--set", a->sets, "override a value in every run: section.key=value (repeatable)");
  refuse_empty_value(
      sub.add_option("-o,--output", a->output, "output HDF5 file (default: SCENARIO-ensemble.h5)"));
  sub.add_option("--runs", a->runs,
                 "run only the slice A:B of the run order (a shard for "
                 "cdpsim merge)");
  add_threads_option(sub, a->threads, "worker threads (default: all cores)");
  sub.add_flag("--resume", a->resume, "finish the interrupted ensemble in -o (same arguments)");
  sub.add_flag("--force", a->force, "replace an existing output file");
  sub.add_option("--from", a->from,
                 "branch every run from this checkpoint (reseeded after its week; the history is "
                 "shared)");
  add_strict_flag(sub);
  sub.add_flag("-q,--quiet", a->quiet, "no progress bar and no summary");
  return [a] { return ensemble(*a); };
}

}  // namespace

const Command ensemble_command{
    "ensemble",
    "run replicates and parameter sweeps into one HDF5 file (threads, MPI ranks or --runs slices)",
    add};

}  // namespace cdpsim::app
