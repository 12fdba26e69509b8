// cdpsim run: one scenario, one seed, one HDF5 file; a summary of the last week on stdout.
#include <CLI/CLI.hpp>
#include <cdpsim/version.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/command.hpp"
#include "experiments/run/run.hpp"
#include "experiments/scenario_io.hpp"
#include "sim/io/output_path.hpp"
#include "sim/progress.hpp"

namespace cdpsim::app {

namespace {

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

void print_summary(const Scenario& s, const RunOutcome& r, const std::string& out) {
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
  for (int k = 0; k < kPhases - 1; ++k)
    std::printf(" %s %lld%s", std::string(kPhaseNames[k]).c_str(),
                static_cast<long long>(w.cdps_by_phase[k]), k < kPhases - 2 ? "," : "");
  std::printf("\n  knowledge      %.1f repertoire units, %lld boundary objects\n",
              w.knowledge_stock, static_cast<long long>(w.boundary_objects));
  std::printf("  support        %.1f h given of %.1f h demanded in the last week\n",
              w.support_hours_given, w.support_hours_demanded);
  std::printf("  time           %.2f s simulating, %.2f s writing\n", r.simulate_seconds,
              r.write_seconds);
  std::printf("  output         %s\n", out.c_str());
}

int run(const RunArgs& a) {
  const Reporter say;
  Scenario s;
  std::string out = a.output;
  if (auto code = check_input(say, [&] {
        s = load_scenario(a.scenario, overrides_of(a));
        if (out.empty()) out = std::filesystem::path(a.scenario).stem().string() + ".h5";
        io::check_output_path(out, a.force);
      }))
    return *code;
  const auto gc = limit_threads(a.threads);
  catch_stop_signals();
  ProgressBar bar("cdpsim run", "weeks", !a.quiet);
  RunRequest req;
  req.seed = static_cast<std::uint64_t>(s.simulation.seed);
  req.output = out;
  req.force = a.force;
  RunOutcome r;
  try {
    r = run_to_file(s, req, &stop_requested(),
                    [&](std::int32_t d, std::int32_t t) { bar.update(d, t); });
  } catch (const io::OutputError& e) {  // the file appeared since check_output_path
    bar.finish();
    return say.bad_input(e.what());
  } catch (const std::exception& e) {
    bar.finish();
    return runtime_failure("run", e);
  }
  bar.finish();
  if (!a.quiet || r.interrupted) print_summary(s, r, out);
  if (r.interrupted) {
    std::cerr << "cdpsim: interrupted after week " << r.weeks_completed
              << "; the file keeps what was simulated (status = interrupted)\n";
    return kInterrupted;
  }
  return kOk;
}

Action add(CLI::App& sub) {
  auto a = std::make_shared<RunArgs>();
  sub.add_option("scenario", a->scenario, "scenario TOML file")->required();
  sub.add_option("-o,--output", a->output, "output HDF5 file (default: SCENARIO-NAME.h5)");
  add_seed_option(sub, a->seed, "random seed (default: simulation.seed)");
  add_threads_option(sub, a->threads, "worker threads (default: all cores)");
  sub.add_option("--weeks", a->weeks, "number of weeks (overrides simulation.weeks)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{5200}));
  sub.add_option("--set", a->sets, "override a value: section.key=value (repeatable)");
  sub.add_flag("--force", a->force, "replace an existing output file");
  sub.add_flag("-q,--quiet", a->quiet, "no progress bar and no summary");
  return [a] { return run(*a); };
}

}  // namespace

const Command run_command{"run", "simulate a scenario and write an HDF5 file", add};

}  // namespace cdpsim::app
