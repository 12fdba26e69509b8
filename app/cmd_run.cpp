// cdpsim run: one scenario, one seed, one HDF5 file; a summary of the last week on stdout.
#include <CLI/CLI.hpp>
#include <cdpsim/version.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/command.hpp"
#include "experiments/memory_plan.hpp"
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
  std::string lang;
};

// --seed and --weeks become overrides, so they are validated like any value and recorded in the
// stored scenario.
std::vector<std::string> overrides_of(const RunArgs& a) {
  std::vector<std::string> o = a.sets;
  if (a.seed >= 0) o.push_back("simulation.seed=" + std::to_string(a.seed));
  if (a.weeks >= 0) o.push_back("simulation.weeks=" + std::to_string(a.weeks));
  return o;
}

// The template of `key` in `lang` filled with `args` (every argument a %s).
template <class... A>
void say_text(Lang lang, Text key, const A&... args) {
  std::printf(std::string(text(lang, key)).c_str(), std::string(args).c_str()...);
}

void print_summary(const Scenario& s, const RunOutcome& r, const std::string& out, Lang lang) {
  const auto& w = r.last;
  const auto n = [lang](double v, int decimals) {  // English as before: "1234.5"
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return localize_number(buf, lang);
  };
  const auto i = [lang](long long v) { return localize_number(std::to_string(v), lang); };
  say_text(lang, Text::run_header, std::string(cdpsim::version), s.simulation.name,
           std::to_string(s.simulation.seed), i(r.weeks_completed), i(s.simulation.weeks),
           r.interrupted ? std::string(text(lang, Text::run_interrupted)) : std::string());
  say_text(lang, Text::run_members, i(w.members_total), i(w.members_active));
  say_text(lang, Text::run_tiers, i(w.members_by_tier[2]), i(w.members_by_tier[1]),
           i(w.members_by_tier[0]));
  say_text(lang, Text::run_cdps, i(w.cdps_alive), i(r.cdps_created));
  for (int k = 0; k < kPhases - 1; ++k)
    std::printf(" %s %s%s", std::string(phase_name(k, lang)).c_str(), i(w.cdps_by_phase[k]).c_str(),
                k < kPhases - 2 ? "," : "");
  std::printf("\n");
  say_text(lang, Text::run_knowledge, n(w.knowledge_stock, 1), i(w.boundary_objects));
  say_text(lang, Text::run_support, n(w.support_hours_given, 1), n(w.support_hours_demanded, 1));
  say_text(lang, Text::run_time, n(r.simulate_seconds, 2), n(r.write_seconds, 2));
  say_text(lang, Text::run_output, out);
}

int run(const RunArgs& a) {
  const Reporter say;
  Scenario s;
  std::string out = a.output;
  if (auto code = check_input(say, [&] {
        s = load_scenario(a.scenario, overrides_of(a));
        check_memory("cdpsim run", world_bytes_estimate(s));
        if (out.empty()) out = std::filesystem::path(a.scenario).stem().string() + ".h5";
        io::check_output_path(out, a.force);
      }))
    return *code;
  warn_shocks_beyond(say, s, s.simulation.weeks);
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
  if (!a.quiet || r.interrupted) print_summary(s, r, out, lang_of(a.lang));
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
  refuse_empty_value(
      sub.add_option("-o,--output", a->output, "output HDF5 file (default: SCENARIO-NAME.h5)"));
  add_seed_option(sub, a->seed, "random seed (default: simulation.seed)");
  add_threads_option(sub, a->threads, "worker threads (default: all cores)");
  sub.add_option("--weeks", a->weeks, "number of weeks (overrides simulation.weeks)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{5200}));
  sub.add_option("--set", a->sets, "override a value: section.key=value (repeatable)");
  sub.add_flag("--force", a->force, "replace an existing output file");
  add_strict_flag(sub);
  add_lang_option(sub, a->lang);
  sub.add_flag("-q,--quiet", a->quiet, "no progress bar and no summary");
  return [a] { return run(*a); };
}

}  // namespace

const Command run_command{"run", "simulate a scenario and write an HDF5 file", add};

}  // namespace cdpsim::app
