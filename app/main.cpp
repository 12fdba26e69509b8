// cdpsim command line. Exit codes: 0 success, 2 bad input or usage, 1 runtime failure.
#include <tbb/global_control.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cdpsim/version.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>

#include "app/experiments.hpp"
#include "app/sensitivity.hpp"
#include "app/stop.hpp"
#include "models/levers.hpp"
#include "models/scenario.hpp"
#include "sim/engine/facts.hpp"
#include "sim/engine/run.hpp"
#include "sim/io/nc_writer.hpp"
#include "sim/progress.hpp"
#include "sim/scenario/loader.hpp"

namespace {

std::atomic<bool>& g_stop = cdpsim::app::stop_requested();
using cdpsim::app::kBadInput;
using cdpsim::app::kOk;
using cdpsim::app::kRuntime;

int bad_input(const std::string& msg) {
  std::cerr << "cdpsim: error: " << msg << "\n";
  return kBadInput;
}

struct RunArgs {
  std::string scenario;
  std::string output;
  std::int64_t seed = -1;
  std::int64_t weeks = -1;
  int threads = 0;
  std::vector<std::string> sets;
  bool force = false;
  bool quiet = false;
};

// --seed and --weeks become overrides, so they are validated like any value and recorded in the
// stored scenario.
std::vector<std::string> overrides_of(const RunArgs& a) {
  std::vector<std::string> o = a.sets;
  if (a.seed >= 0) o.push_back("simulation.seed=" + std::to_string(a.seed));
  if (a.weeks >= 0) o.push_back("simulation.weeks=" + std::to_string(a.weeks));
  return o;
}

void print_summary(const cdpsim::Scenario& s, const cdpsim::RunOutcome& r, const std::string& out) {
  const auto& w = r.last;
  std::printf("cdpsim %s: scenario '%s', seed %lld, %d of %lld weeks%s\n", cdpsim::version,
              s.simulation.name.c_str(), static_cast<long long>(s.simulation.seed),
              r.weeks_completed, static_cast<long long>(s.simulation.weeks),
              r.interrupted ? " (INTERRUPTED)" : "");
  std::printf("  members        %lld registered, %lld active in the last week\n",
              static_cast<long long>(w.members_total), static_cast<long long>(w.members_active));
  std::printf("  tiers          core %lld, active %lld, peripheral %lld\n",
              static_cast<long long>(w.members_by_tier[2]),
              static_cast<long long>(w.members_by_tier[1]),
              static_cast<long long>(w.members_by_tier[0]));
  std::printf("  CdPs           %lld alive of %lld created:", static_cast<long long>(w.cdps_alive),
              static_cast<long long>(r.cdps_created));
  for (int k = 0; k < cdpsim::kPhases - 1; ++k)
    std::printf(" %s %lld%s", std::string(cdpsim::kPhaseNames[k]).c_str(),
                static_cast<long long>(w.cdps_by_phase[k]), k < cdpsim::kPhases - 2 ? "," : "");
  std::printf("\n  knowledge      %.1f repertoire units, %lld boundary objects\n",
              w.knowledge_stock, static_cast<long long>(w.boundary_objects));
  std::printf("  support        %.1f h given of %.1f h demanded in the last week\n",
              w.support_hours_given, w.support_hours_demanded);
  std::printf("  time           %.2f s simulating, %.2f s writing\n", r.simulate_seconds,
              r.write_seconds);
  std::printf("  output         %s\n", out.c_str());
}

int cmd_run(const RunArgs& a) {
  cdpsim::Scenario s;
  try {
    s = cdpsim::load_scenario(a.scenario, overrides_of(a));
  } catch (const cdpsim::ScenarioError& e) {
    return bad_input(e.what());
  }
  std::string out = a.output;
  if (out.empty()) out = std::filesystem::path(a.scenario).stem().string() + ".h5";
  try {
    cdpsim::check_output_path(out, a.force);
  } catch (const cdpsim::OutputError& e) {
    return bad_input(e.what());
  }
  std::unique_ptr<tbb::global_control> gc;
  if (a.threads > 0)
    gc = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               a.threads);
  cdpsim::app::catch_stop_signals();
  cdpsim::ProgressBar bar("cdpsim run", "weeks", !a.quiet);
  cdpsim::RunRequest req;
  req.seed = static_cast<std::uint64_t>(s.simulation.seed);
  req.output = out;
  req.force = a.force;
  cdpsim::RunOutcome r;
  try {
    r = cdpsim::run_to_file(s, req, &g_stop,
                            [&](std::int32_t d, std::int32_t t) { bar.update(d, t); });
  } catch (const cdpsim::OutputError& e) {
    bar.finish();
    return bad_input(e.what());
  } catch (const std::exception& e) {
    bar.finish();
    std::cerr << "cdpsim: run failed: " << e.what() << "\n";
    return kRuntime;
  }
  bar.finish();
  if (!a.quiet || r.interrupted) print_summary(s, r, out);
  if (r.interrupted) {
    std::cerr << "cdpsim: interrupted after week " << r.weeks_completed
              << "; the file keeps what was simulated (status = interrupted)\n";
    return cdpsim::app::kInterrupted;
  }
  return kOk;
}

int cmd_validate(const std::string& path, const std::vector<std::string>& sets) {
  try {
    const cdpsim::Scenario s = cdpsim::load_scenario(path, sets);
    std::printf(
        "%s: valid scenario '%s' (%lld weeks from %s, %zu shock(s), %zu territor%s, %zu "
        "platform(s))\n",
        path.c_str(), s.simulation.name.c_str(), static_cast<long long>(s.simulation.weeks),
        s.simulation.start_date.to_string().c_str(), s.shocks.size(), s.territories.size(),
        s.territories.size() == 1 ? "y" : "ies", s.platforms.size());
    return kOk;
  } catch (const cdpsim::ScenarioError& e) {
    return bad_input(e.what());
  }
}

int cmd_info(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return bad_input(path + ": no such file");
  try {
    for (const auto& [k, v] : cdpsim::io::root_attributes(path)) {
      if (k == "scenario_toml") continue;
      std::printf("%-16s %s\n", k.c_str(), v.c_str());
    }
    std::printf("\n%-26s %-20s %-14s %-8s %s\n", "variable", "dimensions", "shape", "dtype",
                "units");
    for (const auto& v : cdpsim::io::list_variables(path)) {
      std::string dims, shape;
      for (std::size_t i = 0; i < v.dims.size(); ++i) {
        dims += (i ? "," : "") + v.dims[i];
        shape += (i ? "x" : "") + std::to_string(v.shape[i]);
      }
      std::printf("%-26s %-20s %-14s %-8s %s\n", v.name.c_str(), dims.c_str(), shape.c_str(),
                  v.dtype.c_str(), v.units.c_str());
    }
  } catch (const std::exception& e) {
    return bad_input(path + ": not a readable cdpsim output file (" + e.what() + ")");
  }
  return kOk;
}

struct FactsArgs {
  int replicates = 20;
  bool quick = false;
  std::string output;
  std::int64_t seed = 20180903;
  int threads = 0;
  std::string scenario_dir;
  bool force = false;
  bool quiet = false;
  std::vector<std::string> sets;
};

// The scenario library: --scenarios, else ./scenarios, else the source tree's.
std::filesystem::path scenario_dir_of(const std::string& given) {
  if (!given.empty()) return given;
  if (std::filesystem::exists("scenarios/passerelles.toml")) return "scenarios";
  return std::filesystem::path(CDPSIM_SOURCE_DIR) / "scenarios";
}

int cmd_facts(const FactsArgs& a) {
  cdpsim::FactsOptions o;
  o.scenario_dir = scenario_dir_of(a.scenario_dir);
  o.replicates = a.quick ? 5 : a.replicates;
  o.seed = static_cast<std::uint64_t>(a.seed);
  o.overrides = a.sets;
  std::filesystem::path md, json;
  if (!a.output.empty()) {
    std::filesystem::path stem(a.output);
    if (stem.extension() == ".md" || stem.extension() == ".json") stem.replace_extension();
    md = stem.string() + ".md";
    json = stem.string() + ".json";
    try {
      cdpsim::check_output_path(md, a.force);
      cdpsim::check_output_path(json, a.force);
    } catch (const cdpsim::OutputError& e) {
      return bad_input(e.what());
    }
  }
  std::unique_ptr<tbb::global_control> gc;
  if (a.threads > 0)
    gc = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               a.threads);
  std::vector<cdpsim::FactResult> facts;
  try {
    cdpsim::ProgressBar bar("cdpsim facts", "runs", !a.quiet);
    facts = cdpsim::measure_facts(o, [&](std::int64_t d, std::int64_t t) { bar.update(d, t); });
  } catch (const cdpsim::ScenarioError& e) {
    return bad_input(e.what());
  }
  std::fputs(cdpsim::facts_table(facts).c_str(), stdout);
  if (!md.empty()) {
    std::FILE* f = std::fopen(md.c_str(), "w");
    std::FILE* g = std::fopen(json.c_str(), "w");
    if (!f || !g) {
      std::cerr << "cdpsim: cannot write " << md << " or " << json << "\n";
      return kRuntime;
    }
    std::fputs(cdpsim::facts_markdown(facts, o).c_str(), f);
    std::fputs(cdpsim::facts_json(facts, o).c_str(), g);
    std::fclose(f);
    std::fclose(g);
    if (!a.quiet) std::printf("report: %s, %s\n", md.c_str(), json.c_str());
  }
  for (const auto& f : facts)
    if (!f.pass()) return kRuntime;
  return kOk;
}

int cmd_levers() {
  cdpsim::Levers defaults;
  auto values = defaults.by_index();
  std::printf("%-24s %-12s %-7s %s\n", "lever", "group", "default", "meaning (what it moves)");
  for (int i = 0; i < cdpsim::kLevers; ++i) {
    const auto& l = cdpsim::kLeverInfo[i];
    std::printf("%-24s %-12s %-7.2f %s\n%-24s %-12s %-7s   moves: %s\n", std::string(l.key).c_str(),
                std::string(l.group).c_str(), *values[i], std::string(l.english).c_str(), "", "",
                "", std::string(l.moves).c_str());
  }
  return kOk;
}

// cdpsim plot / cdpsim report: the Python package scripts/cdpsim_py, run by Debian's Python with
// every argument forwarded (exec: its exit code is the command's). The package is looked up in
// $CDPSIM_PYTHON_DIR, else in the source tree's scripts/ folder.
int cmd_python(const std::string& command, const std::vector<std::string>& args) {
  std::filesystem::path dir = std::filesystem::path(CDPSIM_SOURCE_DIR) / "scripts";
  if (const char* env = std::getenv("CDPSIM_PYTHON_DIR"); env && *env) dir = env;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir / "cdpsim_py" / "__main__.py", ec))
    return bad_input("cannot find the Python package cdpsim_py in " + dir.string() +
                     " (set CDPSIM_PYTHON_DIR to the folder that holds cdpsim_py)");
  const char* python = "/usr/bin/python3";
  if (::access(python, X_OK) != 0) {
    std::cerr << "cdpsim " << command << ": " << python
              << " not found: install Debian's python3 (bash scripts/setup.sh)\n";
    return kRuntime;
  }
  std::string path = dir.string();
  if (const char* old = std::getenv("PYTHONPATH"); old && *old) path += ":" + std::string(old);
  ::setenv("PYTHONPATH", path.c_str(), 1);
  ::setenv("MPLBACKEND", "Agg", 1);
  std::vector<std::string> words = {python, "-s", "-m", "cdpsim_py", command};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  ::execv(python, argv.data());
  std::cerr << "cdpsim " << command << ": cannot run " << python << ": " << std::strerror(errno)
            << "\n";
  return kRuntime;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "cdpsim: agent-based simulator of ecosystems of communities of practice (CdP) in "
      "social innovation"};
  app.set_version_flag("--version", std::string("cdpsim ") + cdpsim::version);
  app.require_subcommand(0, 1);

  RunArgs run;
  auto* run_cmd = app.add_subcommand("run", "simulate a scenario and write an HDF5 file");
  run_cmd->add_option("scenario", run.scenario, "scenario TOML file")->required();
  run_cmd->add_option("-o,--output", run.output, "output HDF5 file (default: SCENARIO-NAME.h5)");
  run_cmd->add_option("--seed", run.seed, "random seed (default: simulation.seed)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{9'000'000'000'000'000}));
  run_cmd->add_option("--threads", run.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));
  run_cmd->add_option("--weeks", run.weeks, "number of weeks (overrides simulation.weeks)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{5200}));
  run_cmd->add_option("--set", run.sets, "override a value: section.key=value (repeatable)");
  run_cmd->add_flag("--force", run.force, "replace an existing output file");
  run_cmd->add_flag("-q,--quiet", run.quiet, "no progress bar and no summary");

  std::string val_path;
  std::vector<std::string> val_sets;
  auto* val_cmd = app.add_subcommand("validate", "check a scenario file without running it");
  val_cmd->add_option("scenario", val_path, "scenario TOML file")->required();
  val_cmd->add_option("--set", val_sets, "override a value: section.key=value (repeatable)");

  std::string info_path;
  auto* info_cmd = app.add_subcommand("info", "describe an output file");
  info_cmd->add_option("file", info_path, "cdpsim HDF5 output")->required();

  auto* levers_cmd = app.add_subcommand("levers", "list the 17 levers, their meaning and default");
  auto* params_cmd =
      app.add_subcommand("params", "print every scenario parameter as a Markdown table");
  FactsArgs facts;
  auto* facts_cmd = app.add_subcommand(
      "facts", "check the stylized facts of docs/validation.md (exit 0 only if all pass)");
  facts_cmd->add_option("--replicates", facts.replicates, "replicates per scenario (default 20)")
      ->check(CLI::Range(2, 100000));
  facts_cmd->add_flag("--quick", facts.quick, "5 replicates (for CI)");
  facts_cmd->add_option("-o,--output", facts.output, "write REPORT.md and REPORT.json");
  facts_cmd->add_option("--seed", facts.seed, "master seed")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{9'000'000'000'000'000}));
  facts_cmd->add_option("--threads", facts.threads, "worker threads")->check(CLI::Range(1, 1024));
  facts_cmd->add_option("--scenarios", facts.scenario_dir,
                        "folder of the scenario library (default: ./scenarios)");
  facts_cmd->add_flag("--force", facts.force, "replace existing report files");
  facts_cmd->add_option("--set", facts.sets,
                        "override a value in every scenario (e.g. to test a calibration)");
  facts_cmd->add_flag("-q,--quiet", facts.quiet, "no progress bar");
  std::string res_path;
  std::vector<std::string> res_sets;
  auto* resolve_cmd =
      app.add_subcommand("resolve", "print a scenario with every default filled in (TOML)");
  resolve_cmd->add_option("scenario", res_path, "scenario TOML file")->required();
  resolve_cmd->add_option("--set", res_sets, "override a value (repeatable)");
  const cdpsim::app::ExperimentCommands experiments(app);  // ensemble, compare, merge
  const cdpsim::app::SensitivityCommand sensitivity(app);
  // Python front ends: every argument goes to the script (cdpsim plot --help shows its options).
  auto* plot_cmd = app.add_subcommand(
      "plot", "write the figures of a run, ensemble or comparison file (PNG, SVG): FILE [-o DIR]");
  auto* report_cmd = app.add_subcommand(
      "report", "write a self-contained HTML report of an output file: FILE [-o REPORT.html]");
  for (auto* c : {plot_cmd, report_cmd}) {
    c->prefix_command();
    c->set_help_flag();
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kOk : kBadInput;
  }
  if (*run_cmd) return cmd_run(run);
  if (const auto code = experiments.run()) return *code;
  if (const auto code = sensitivity.run()) return *code;
  if (*val_cmd) return cmd_validate(val_path, val_sets);
  if (*info_cmd) return cmd_info(info_path);
  if (*levers_cmd) return cmd_levers();
  if (*facts_cmd) return cmd_facts(facts);
  if (*params_cmd) {
    std::fputs(cdpsim::parameter_table_markdown().c_str(), stdout);
    return kOk;
  }
  if (*plot_cmd) return cmd_python("plot", plot_cmd->remaining());
  if (*report_cmd) return cmd_python("report", report_cmd->remaining());
  if (*resolve_cmd) {
    try {
      std::fputs(cdpsim::resolved_toml(cdpsim::load_scenario(res_path, res_sets)).c_str(), stdout);
    } catch (const cdpsim::ScenarioError& e) {
      return bad_input(e.what());
    }
    return kOk;
  }
  return bad_input(
      "no subcommand given (allowed: run, validate, info, levers, params, resolve, "
      "ensemble, compare, merge, sensitivity; see cdpsim --help)");
}
