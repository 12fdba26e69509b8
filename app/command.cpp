#include "app/command.hpp"

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

#include "experiments/compare/compare.hpp"
#include "experiments/ensemble/design.hpp"
#include "experiments/ensemble/ensemble_file.hpp"
#include "experiments/run/checkpoint.hpp"
#include "experiments/scenario_io.hpp"
#include "experiments/sensitivity/sensitivity.hpp"
#include "models/interventions.hpp"
#include "sim/io/output_path.hpp"
#include "sim/parallel/process_group.hpp"
#include "sim/progress.hpp"
#include "sim/scenario/param.hpp"

namespace cdpsim::app {

void add_threads_option(CLI::App& sub, int& threads, const std::string& help) {
  sub.add_option("--threads", threads, help)->check(CLI::Range(1, 1024));
}

void add_seed_option(CLI::App& sub, std::int64_t& seed, const std::string& help) {
  sub.add_option("--seed", seed, help)
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{9'000'000'000'000'000}));
}

CLI::Option* refuse_empty_value(CLI::Option* o) {
  return o->check(
      [](const std::string& v) {
        return v.empty() ? std::string(
                               "an empty path names no file (allowed: a file path such as "
                               "out.h5)")
                         : std::string();
      },
      "");
}

std::unique_ptr<tbb::global_control> limit_threads(int threads) {
  if (threads <= 0) return nullptr;
  return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               threads);
}

void add_lang_option(CLI::App& sub, std::string& lang) {
  sub.add_option("--lang", lang, "language of what it prints: fr or en (default: from LANG)")
      ->check(CLI::IsMember({"fr", "en"}));
}

Lang lang_of(const std::string& option) {
  return option.empty() ? default_lang() : parse_lang(option);
}

void add_strict_flag(CLI::App& sub) {
  sub.add_flag_callback(
      "--strict", [] { set_strict_horizon(true); },
      "refuse a shock that starts after the horizon (default: warn, it never happens)");
}

void warn_shocks_beyond(const Reporter& say, const Scenario& s, std::int64_t weeks) {
  if (!say.root) return;
  for (std::size_t i : shocks_beyond_horizon(s, weeks))
    std::cerr << "cdpsim: warning: " << shock_beyond_warning(s, i, weeks) << "\n";
  // Interventions likewise: valid, never in force (strictness is for shocks only).
  const InterventionPlan plan = plan_interventions(s, s.simulation.name);
  for (std::size_t i = 0; i < plan.items.size(); ++i)
    if (plan.items[i].start >= weeks)
      std::cerr << "cdpsim: warning: interventions[" << i << "] '" << plan.items[i].name
                << "' starts in week " << plan.items[i].start << ", after the simulated horizon ("
                << weeks << " weeks): it never comes into force in this run\n";
}

int Reporter::bad_input(const std::string& msg) const {
  if (root) std::cerr << "cdpsim: error: " << msg << "\n";
  return kBadInput;
}

std::optional<int> check_input(const Reporter& say, const std::function<void()>& read) {
  try {
    read();
  } catch (const ScenarioError& e) {
    return say.bad_input(e.what());
  } catch (const DesignError& e) {
    return say.bad_input(e.what());
  } catch (const CompareError& e) {
    return say.bad_input(e.what());
  } catch (const SensitivityError& e) {
    return say.bad_input(e.what());
  } catch (const io::OutputError& e) {
    return say.bad_input(e.what());
  } catch (const EnsembleFileError& e) {
    return say.bad_input(e.what());
  } catch (const CheckpointError& e) {
    return say.bad_input(e.what());
  } catch (const std::invalid_argument& e) {
    return say.bad_input(e.what());
  }
  return std::nullopt;
}

int runtime_failure(std::string_view command, const std::exception& e) {
  std::cerr << "cdpsim: " << command << " failed: " << e.what() << "\n";
  return kRuntime;
}

std::optional<int> refuse_mpirun_without_mpi(std::string_view command) {
  if (ProcessGroup::built_with_mpi() || !ProcessGroup::launched_as_one_of_many()) return {};
  std::cerr << "cdpsim: error: cdpsim " << command
            << " was started by an MPI launcher, but this cdpsim was built without MPI "
               "(configure with -DCDPSIM_MPI=ON), so every process would run every run\n";
  return kBadInput;
}

namespace {

// The value of environment variable `name` as a finite number >= 0; nullopt when unset.
std::optional<double> env_number(const char* name, std::string_view also = {}) {
  const char* text = std::getenv(name);
  if (!text) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || !std::isfinite(v) || v < 0)
    throw std::invalid_argument(std::string(name) + "=" + text + ": expected a number, 0 or more" +
                                std::string(also));
  return v;
}

}  // namespace

SavePolicy save_policy() {
  SavePolicy p;
  const char* every = std::getenv("CDPSIM_SAVE_SECONDS");
  if (every && std::string_view(every) == "off") {
    p.enabled = false;
  } else if (auto s = env_number("CDPSIM_SAVE_SECONDS", " (or off)")) {
    p.min_seconds = *s;
    p.cost_factor = 0;  // exactly that period: tests and measurements
  }
  if (auto ms = env_number("CDPSIM_TEST_SAVE_PAUSE_MS")) p.test_pause_seconds = *ms / 1000.0;
  return p;
}

std::optional<int> run_many(std::string_view command, const ProcessGroup& group, bool quiet,
                            const std::function<void(const RunProgress&)>& work) {
  catch_stop_signals();
  std::string label = "cdpsim " + std::string(command);
  if (group.size() > 1) label += " (rank 0 of " + std::to_string(group.size()) + ")";
  ProgressBar bar(label, "runs", !quiet && group.is_root());
  const char* stop_env = std::getenv("CDPSIM_TEST_STOP_AFTER_RUNS");
  const std::int64_t stop_after = stop_env ? std::atoll(stop_env) : -1;
  try {
    work([&bar, stop_after](std::int64_t done, std::int64_t total) {
      bar.update(done, total);
      if (stop_after >= 0 && done >= stop_after) stop_requested().store(true);
    });
  } catch (const std::exception& e) {
    bar.finish();
    return runtime_failure(command, e);
  }
  return std::nullopt;
}

}  // namespace cdpsim::app
