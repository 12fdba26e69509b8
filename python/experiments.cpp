// cdpsim.ensemble, cdpsim.compare and cdpsim.sensitivity (docs/python.md): the experiments
// layer's entry points (make_plan, prepare_ensemble_job, run_ensemble_job; run_comparison,
// analyse; make_sensitivity_plan, run_sensitivity, analyse_sensitivity) with the requests the
// command line builds from its options, run on all cores (or `threads`) with the GIL released and
// Ctrl-C stopping them between runs. Each writes its file exactly as the command does; the package
// reads it back as an xarray.Dataset with cdpsim_py.load.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "experiments/compare/compare.hpp"
#include "experiments/compare/compare_report.hpp"
#include "experiments/ensemble/design.hpp"
#include "experiments/ensemble/ensemble_job.hpp"
#include "experiments/metrics/metrics.hpp"
#include "experiments/run/checkpoint.hpp"
#include "experiments/scenario_io.hpp"
#include "experiments/sensitivity/sensitivity.hpp"
#include "experiments/sensitivity/sensitivity_output.hpp"
#include "python/bindings.hpp"
#include "python/interrupt.hpp"
#include "sim/io/atomic_file.hpp"
#include "sim/io/output_path.hpp"
#include "sim/parallel/process_group.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;

namespace cdpsim::python {

namespace {

std::vector<std::string> joined(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The scenario with every override, as the command line loads it.
Scenario base_of(const PyScenario& s, const std::vector<std::string>& sets) {
  if (!s.path.empty()) return load_scenario(s.path, joined(s.sets, sets));
  return sets.empty() ? *s.value : load_scenario_text(resolved_toml(*s.value), s.source(), sets);
}

// One process: MPI is the command line's (mpirun cdpsim ...), not a notebook's.
ProcessGroup& group() {
  static ProcessGroup g;
  return g;
}

// Returns {"interrupted": bool, "runs": int, "complete": int}.
py::dict ensemble(const PyScenario& scenario, std::int64_t replicates,
                  const std::vector<std::string>& sweeps, const std::string& design,
                  std::int64_t samples, std::int64_t seed, const std::vector<std::string>& sets,
                  const fs::path& output, bool force, bool save, int threads,
                  const std::string& from) {
  DesignRequest req;
  req.base_sets = joined(scenario.sets, sets);
  for (const std::string& s : sweeps) req.sweeps.push_back(parse_sweep(s));
  if (design != "grid" && design != "lhs")
    throw DesignError("design: unknown design '" + design + "' (allowed: grid, lhs)");
  req.kind = design == "lhs" ? DesignKind::lhs : DesignKind::grid;
  if (req.kind == DesignKind::grid && samples >= 0)
    throw DesignError(
        "samples applies to design='lhs' only (a grid has one point per combination of the "
        "swept values)");
  if (req.kind == DesignKind::lhs && samples < 0)
    throw DesignError("design='lhs' needs samples=N (the number of design points)");
  if (replicates < 1) throw DesignError("replicates: must be at least 1");
  req.samples = std::max<std::int64_t>(samples, 0);
  req.replicates = replicates;
  const Scenario base = base_of(scenario, sets);
  req.master_seed = static_cast<std::uint64_t>(seed >= 0 ? seed : base.simulation.seed);
  DesignRequest from_text = req;  // a scenario without a file: its value, then `sets`
  from_text.base_sets = sets;
  EnsemblePlan plan = scenario.path.empty() ? make_plan_from_toml(resolved_toml(*scenario.value),
                                                                  scenario.source(), from_text)
                                            : make_plan(scenario.path, req);
  if (!from.empty()) branch_plan(plan, read_checkpoint(from), from);
  EnsembleJobRequest jr;
  jr.output = output;
  jr.force = force;
  PreparedEnsembleJob job = prepare_ensemble_job(plan, jr);
  job.saving = SavePolicy{};
  job.saving.enabled = save;
  EnsembleJobResult res;
  auto arena = make_arena(threads);
  run_interruptibly(*arena, [&](const std::atomic<bool>& stop) {
    res = run_ensemble_job(plan, job, group(), &stop, {});
  });
  py::dict out;
  out["interrupted"] = res.interrupted;
  out["runs"] = plan.runs();
  out["complete"] = res.complete;
  return out;
}

void compare(const std::vector<std::string>& names, const std::vector<PyScenario>& scenarios,
             std::int64_t replicates, const std::vector<std::string>& metrics,
             const std::vector<std::string>& hypotheses, std::int64_t horizon, std::int64_t seed,
             const std::vector<std::string>& sets, const std::string& from,
             const std::string& seed_policy, const fs::path& h5, const fs::path& csv,
             const fs::path& json, bool force, int threads) {
  CompareRequest req;
  if (scenarios.size() < 2)
    throw CompareError("compare needs a baseline and at least one other scenario");
  for (std::size_t i = 0; i < scenarios.size(); ++i)
    req.scenarios.push_back({names[i], scenarios[i].source(), base_of(scenarios[i], sets), {}});
  if (!from.empty()) {
    const Checkpoint c = read_checkpoint(from);
    req.from = from;
    req.branch_week = c.week();
    req.policy = parse_seed_policy(seed_policy);
    for (CompareScenario& cs : req.scenarios) {
      Branch b = make_branch(c, cs.scenario, cs.path, req.policy, c.seed);
      cs.scenario = std::move(b.scenario);
      cs.start = std::make_shared<const Checkpoint>(std::move(b.start));
    }
  } else if (seed_policy != "reseed") {
    throw CompareError("seed_policy applies to branches (allowed: with from_checkpoint=PATH)");
  }
  const Scenario& base = req.scenarios[0].scenario;
  if (metrics.empty()) {
    req.metrics = compare_default_metrics();
    if (std::any_of(req.scenarios.begin(), req.scenarios.end(),
                    [](const CompareScenario& c) { return pays_for_interventions(c.scenario); }))
      for (const std::string& m : compare_funder_metrics()) req.metrics.push_back(m);
  } else {
    for (const std::string& m : metrics) {
      check_metric(m);
      if (std::find(req.metrics.begin(), req.metrics.end(), m) == req.metrics.end())
        req.metrics.push_back(m);
    }
  }
  std::vector<Hypothesis> hyps;
  for (const std::string& h : hypotheses) {
    hyps.push_back(parse_hypothesis(h, req.scenarios));
    const std::string& m = hyps.back().metric;
    if (std::find(req.metrics.begin(), req.metrics.end(), m) == req.metrics.end())
      req.metrics.push_back(m);
  }
  req.replicates = replicates;
  req.horizon = horizon >= 0 ? horizon : base.simulation.weeks;
  req.master_seed = static_cast<std::uint64_t>(seed >= 0 ? seed : base.simulation.seed);
  check_request(req);
  std::vector<fs::path> outs{h5};
  if (!csv.empty()) outs.push_back(csv);
  if (!json.empty()) outs.push_back(json);
  for (const fs::path& p : outs) io::check_output_path(p, force);
  auto arena = make_arena(threads);
  run_interruptibly(*arena, [&](const std::atomic<bool>& stop) {
    const CompareData data = run_comparison(req, group(), &stop, {});
    if (data.interrupted) return;  // a comparison needs every run: nothing is written
    const CompareReport rep = analyse(req, data, hyps);
    std::vector<io::PendingFile> files{
        {h5, [&](const fs::path& t) { write_comparison_h5(t, req, data, rep); }}};
    if (!csv.empty())
      files.push_back({csv, [&](const fs::path& t) { write_comparison_csv(t, req, rep); }});
    if (!json.empty())
      files.push_back({json, [&](const fs::path& t) { write_comparison_json(t, req, data, rep); }});
    io::write_all_atomically(files, force);
  });
}

void sensitivity(const fs::path& scenario, const std::vector<std::string>& sets,
                 const std::string& method, const std::vector<std::string>& levers,
                 const std::vector<std::string>& inputs, std::int64_t samples,
                 std::int64_t replicates, const std::vector<std::string>& metrics,
                 const std::vector<std::string>& stratify, std::int64_t phase_week, int levels,
                 int bootstrap, std::int64_t seed, const fs::path& h5, const fs::path& csv,
                 bool force, int threads) {
  if (method != "sobol" && method != "morris")
    throw SensitivityError("method: unknown method '" + method + "' (allowed: sobol, morris)");
  SensitivityRequest req;
  req.method = method == "morris" ? SensitivityMethod::morris : SensitivityMethod::sobol;
  req.base_sets = sets;
  req.levers = levers;
  req.inputs = inputs;
  req.samples = samples >= 0 ? samples : (req.method == SensitivityMethod::sobol ? 256 : 20);
  req.replicates = replicates;
  req.metrics = metrics;
  req.stratify = stratify;
  req.phase_week = phase_week;
  req.levels = levels;
  req.bootstrap = bootstrap;
  const Scenario base = load_scenario(scenario, sets);
  req.master_seed = static_cast<std::uint64_t>(seed >= 0 ? seed : base.simulation.seed);
  const SensitivityPlan plan = make_sensitivity_plan(scenario, req);
  io::check_output_path(h5, force);
  if (!csv.empty()) io::check_output_path(csv, force);
  auto arena = make_arena(threads);
  run_interruptibly(*arena, [&](const std::atomic<bool>& stop) {
    const SensitivityData data = run_sensitivity(plan, nullptr, group(), &stop, {});
    if (data.interrupted) {  // the finished runs, as `cdpsim sensitivity` keeps them
      io::write_atomically(
          h5, [&](const fs::path& t) { write_sensitivity_file(t, plan, data, nullptr); }, force);
      return;
    }
    const SensitivityReport rep = analyse_sensitivity(plan, data);
    std::vector<io::PendingFile> files{
        {h5, [&](const fs::path& t) { write_sensitivity_file(t, plan, data, &rep); }}};
    if (!csv.empty())
      files.push_back({csv, [&](const fs::path& t) { write_sensitivity_csv(t, plan, rep); }});
    io::write_all_atomically(files, force);
  });
}

}  // namespace

void bind_experiments(py::module_& m) {
  m.def("ensemble", &ensemble, py::arg("scenario"), py::arg("replicates"), py::arg("sweeps"),
        py::arg("design"), py::arg("samples"), py::arg("seed"), py::arg("sets"), py::arg("output"),
        py::arg("force"), py::arg("save"), py::arg("threads"), py::arg("from_checkpoint"));
  m.def("compare", &compare, py::arg("names"), py::arg("scenarios"), py::arg("replicates"),
        py::arg("metrics"), py::arg("hypotheses"), py::arg("horizon"), py::arg("seed"),
        py::arg("sets"), py::arg("from_checkpoint"), py::arg("seed_policy"), py::arg("h5"),
        py::arg("csv"), py::arg("json"), py::arg("force"), py::arg("threads"));
  m.def("sensitivity", &sensitivity, py::arg("scenario"), py::arg("sets"), py::arg("method"),
        py::arg("levers"), py::arg("inputs"), py::arg("samples"), py::arg("replicates"),
        py::arg("metrics"), py::arg("stratify"), py::arg("phase_week"), py::arg("levels"),
        py::arg("bootstrap"), py::arg("seed"), py::arg("h5"), py::arg("csv"), py::arg("force"),
        py::arg("threads"));
  m.def("metrics", [] {
    std::vector<std::string> names;
    for (const Metric* d : ecosystem_metrics()) names.emplace_back(d->name);
    return names;
  });
}

}  // namespace cdpsim::python
