// cdpsim compare: scenarios against a baseline under common random numbers, with differences,
// intervals and directional hypotheses, for funders (docs/ensembles.md).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/command.hpp"
#include "experiments/compare/compare.hpp"
#include "experiments/compare/compare_report.hpp"
#include "experiments/metrics/metrics.hpp"
#include "experiments/scenario_io.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/output_path.hpp"
#include "sim/parallel/process_group.hpp"

namespace cdpsim::app {

namespace {

namespace fs = std::filesystem;

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
  std::string lang;
  std::string from;
  std::string seed_policy = "reseed";
  std::string param_sets;
};

// The request, the hypotheses and the output paths (-o OUT: OUT.csv, OUT.json, OUT.h5) from the
// arguments (throws the input errors).
void prepare(const CompareArgs& a, CompareRequest& req, std::vector<Hypothesis>& hypotheses,
             fs::path& csv, fs::path& json, fs::path& h5) {
  if (a.scenarios.size() < 2)
    throw CompareError(
        "compare needs a baseline and at least one other scenario "
        "(cdpsim compare BASELINE.toml OTHER.toml...)");
  for (const std::string& p : a.scenarios)
    req.scenarios.push_back({fs::path(p).stem().string(), p, load_scenario(p, a.sets)});
  if (!a.from.empty()) {
    const Checkpoint c = read_checkpoint(a.from);
    req.from = a.from;
    req.branch_week = c.week();
    req.policy = parse_seed_policy(a.seed_policy);
    for (CompareScenario& cs : req.scenarios) {
      Branch b = make_branch(c, cs.scenario, cs.path, req.policy, c.seed);
      cs.scenario = std::move(b.scenario);
      cs.start = std::make_shared<const Checkpoint>(std::move(b.start));
    }
  } else if (a.seed_policy != "reseed") {
    throw CompareError("--seed-policy applies to branches (allowed: with --from CHECKPOINT)");
  }
  const Scenario& base = req.scenarios[0].scenario;
  if (a.metrics.empty()) {
    req.metrics = compare_default_metrics();
    // A funder's comparison: some scenario pays for its interventions, so report what it costs.
    if (std::any_of(req.scenarios.begin(), req.scenarios.end(),
                    [](const CompareScenario& c) { return pays_for_interventions(c.scenario); }))
      for (const std::string& m : compare_funder_metrics()) req.metrics.push_back(m);
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
  if (!a.param_sets.empty()) {
    if (!a.from.empty())
      throw CompareError("--param-sets " + a.param_sets + " with --from " + a.from +
                         ": the checkpoint's history was simulated with its own parameters "
                         "(allowed: one of the two)");
    req.param_sets = read_param_sets(a.param_sets);
  }
  check_request(req);
  if (!a.param_sets.empty()) apply_param_sets(req, a.sets);
  if (strict_horizon())  // --strict: against the weeks compare simulates
    for (const CompareScenario& c : req.scenarios)
      refuse_shocks_beyond(c.scenario, c.path, req.horizon);
  if (!a.output.empty()) {
    fs::path stem(a.output);
    if (stem.has_extension()) stem.replace_extension();
    csv = stem.string() + ".csv";
    json = stem.string() + ".json";
    h5 = stem.string() + ".h5";
    for (const fs::path& p : {csv, json, h5}) io::check_output_path(p, a.force);
  }
}

int compare(const CompareArgs& a) {
  if (auto refused = refuse_mpirun_without_mpi("compare")) return *refused;
  ProcessGroup group;
  const Reporter say{group.is_root()};
  CompareRequest req;
  std::vector<Hypothesis> hypotheses;
  fs::path csv, json, h5;
  if (auto code = check_input(say, [&] { prepare(a, req, hypotheses, csv, json, h5); }))
    return *code;
  for (const CompareScenario& c : req.scenarios) warn_shocks_beyond(say, c.scenario, req.horizon);

  const auto gc = limit_threads(a.threads);
  CompareData data;
  if (auto code = run_many("compare", group, a.quiet, [&](const RunProgress& progress) {
        data = run_comparison(req, group, &stop_requested(), progress);
      }))
    return *code;
  if (!group.is_root()) return stop_requested().load() ? kInterrupted : kOk;
  if (data.interrupted) {
    std::cerr << "cdpsim: interrupted after " << data.runs_done << " of "
              << req.sets() * req.scenarios.size() * static_cast<std::size_t>(req.replicates)
              << " runs; a comparison needs every run, so nothing was written\n";
    return kInterrupted;
  }
  const CompareReport rep = analyse(req, data, hypotheses);
  print_comparison(stdout, req, rep, lang_of(a.lang));
  if (!a.output.empty()) {
    try {
      // All three or none (a full disk while writing the HDF5 file removes the CSV and JSON).
      io::write_all_atomically(
          {{csv, [&](const fs::path& t) { write_comparison_csv(t, req, rep); }},
           {json, [&](const fs::path& t) { write_comparison_json(t, req, data, rep); }},
           {h5, [&](const fs::path& t) { write_comparison_h5(t, req, data, rep); }}},
          a.force);
    } catch (const std::exception& e) {
      std::cerr << "cdpsim: cannot write the comparison: " << e.what() << "\n";
      return kRuntime;
    }
    if (!a.quiet)
      std::printf(std::string(text(lang_of(a.lang), Text::compare_output)).c_str(), csv.c_str(),
                  json.c_str(), h5.c_str());
  }
  return kOk;
}

Action add(CLI::App& sub) {
  auto a = std::make_shared<CompareArgs>();
  sub.add_option("scenarios", a->scenarios, "BASELINE.toml OTHER.toml...")->required();
  sub.add_option("--replicates", a->replicates,
                 "replicates per scenario (default 20; with --param-sets, per scenario and set)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000}));
  std::string defaults;
  for (const std::string& m : compare_default_metrics())
    defaults += (defaults.empty() ? "" : ", ") + m;
  std::string funder;
  for (const std::string& m : compare_funder_metrics()) funder += (funder.empty() ? "" : ", ") + m;
  sub.add_option("--metric", a->metrics,
                 "metric to report (repeatable; default: " + defaults +
                     "; and, when a scenario's interventions cost money (cost_per_hour or "
                     "cost_per_week > 0), " +
                     funder + "; see docs/ensembles.md and docs/funders.md)");
  sub.add_option("--hypothesis", a->hypotheses,
                 "directional hypothesis \"OTHER > BASELINE on METRIC\" (repeatable)");
  sub.add_option("--horizon", a->horizon, "weeks simulated (default: the baseline's weeks)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{5200}));
  add_seed_option(sub, a->seed, "master seed (default: the baseline's simulation.seed)");
  sub.add_option("--set", a->sets, "override a value in every scenario (repeatable)");
  refuse_empty_value(
      sub.add_option("-o,--output", a->output, "write OUT.csv, OUT.json and OUT.h5"));
  add_threads_option(sub, a->threads, "worker threads (default: all cores)");
  sub.add_flag("--force", a->force, "replace existing output files");
  sub.add_option("--from", a->from,
                 "branch every scenario from this checkpoint: all share its history");
  sub.add_option("--seed-policy", a->seed_policy,
                 "random numbers after the branch: reseed (replicates, the default) or continue "
                 "(the checkpoint run's own; one replicate)")
      ->check(CLI::IsMember({"continue", "reseed"}));
  sub.add_option("--param-sets", a->param_sets,
                 "run every scenario under each parameter set of this CSV file (columns named "
                 "section.key, e.g. scenarios/calibration/accepted.csv): the verdicts then carry "
                 "parameter uncertainty as well as replicate noise (docs/calibration.md)");
  add_strict_flag(sub);
  add_lang_option(sub, a->lang);
  sub.add_flag("-q,--quiet", a->quiet, "no progress bar");
  return [a] { return compare(*a); };
}

}  // namespace

const Command compare_command{
    "compare", "compare scenarios with a baseline under common random numbers (for funders)", add};

}  // namespace cdpsim::app
